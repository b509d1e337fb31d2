namespace EdgeSensors.Gateway.UseCases;

/// <summary>
/// Each node's last technician-recorded calibration (the calibration object as it stood after `node calibrate` or a
/// change with a calibration record): what later changes are bounded against, cumulatively.
/// </summary>
public interface ICalibrationBaselines
{
    /// <summary>The calibration object (JSON) recorded for <paramref name="node"/>, or null when none was.</summary>
    string? Find(string node);

    Task SaveAsync(string node, string calibrationJson, CancellationToken ct);
}
