#!/usr/bin/env bash
# Issue 14: a three-node RabbitMQ cluster on loopback, a quorum queue, the gateway's load through it, several ingest
# instances into PostgreSQL, one RabbitMQ node stopped mid-stream. Prints readings/s into PostgreSQL and the lost and
# duplicated counts; appends the figures to bench/results/ioc-cluster.md.
# Needs: rabbitmq-server and postgresql (Debian packages; bash .ci/run installs them). Options pass through:
#   bash bench/ioc-cluster.sh [--nodes 20] [--seconds 60] [--ingest 3]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/EdgeSensors.Bench -v q -nologo
dotnet run -c Release --no-build --project bench/EdgeSensors.Bench -- ioc-cluster --results bench/results/ioc-cluster.md "$@"
