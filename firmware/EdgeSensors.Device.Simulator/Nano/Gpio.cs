// Executable nanoFramework.System.Device.Gpio 1.1.57 on the simulated board: GpioController and GpioPin (both
// sealed, as in the library), the pin driven onto the board's nets. After a reset every ESP32 pin is an input; a pin
// opened as an output drives low until written (the output register resets to 0).
using System;
using EdgeSensors.Device.Simulator.Board;

namespace System.Device.Gpio
{
    public struct PinValue : IEquatable<PinValue>
    {
        private readonly byte _value;

        private PinValue(byte value)
        {
            _value = value;
        }

        public static PinValue Low => new PinValue(0);

        public static PinValue High => new PinValue(1);

        public static implicit operator PinValue(int value) => value == 0 ? Low : High;

        public static implicit operator PinValue(bool value) => value ? High : Low;

        public static bool operator ==(PinValue a, PinValue b) => a._value == b._value;

        public static bool operator !=(PinValue a, PinValue b) => a._value != b._value;

        public bool Equals(PinValue other) => _value == other._value;

        public override bool Equals(object? obj) => obj is PinValue other && Equals(other);

        public override int GetHashCode() => _value;

        public override string ToString() => _value == 0 ? "Low" : "High";

        internal bool IsHigh => _value != 0;
    }

    public sealed class GpioPin : IDisposable
    {
        private readonly BoardRun _run;
        private PinMode _mode;
        private PinValue _output = PinValue.Low;

        internal GpioPin(BoardRun run, int pin, PinMode mode)
        {
            _run = run;
            PinNumber = pin;
            SetPinMode(mode);
        }

        public int PinNumber { get; }

        public PinMode GetPinMode() => _mode;

        public void SetPinMode(PinMode mode)
        {
            _run.Check();
            _mode = mode;
            if (mode == PinMode.Output)
            {
                _run.Board.WritePin(PinNumber, _output.IsHigh);
            }
            else
            {
                _run.Board.ReleasePin(PinNumber);
            }
        }

        public void Write(PinValue value)
        {
            _run.Check();
            _output = value;
            if (_mode == PinMode.Output)
            {
                _run.Board.WritePin(PinNumber, value.IsHigh);
            }
        }

        public PinValue Read()
        {
            _run.Check();
            return _output;
        }

        public void Toggle() => Write(_output.IsHigh ? PinValue.Low : PinValue.High);

        public void Dispose()
        {
            if (_run.Halt == HaltKind.None)
            {
                _run.Board.ReleasePin(PinNumber);
            }
        }
    }

    public sealed class GpioController : IDisposable
    {
        private readonly BoardRun _run;

        public GpioController()
        {
            _run = BoardRun.Live;
        }

        public GpioController(PinNumberingScheme numberingScheme)
            : this()
        {
            _ = numberingScheme;
        }

        public GpioPin OpenPin(int pinNumber) => OpenPin(pinNumber, PinMode.Input);

        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            _run.Check();
            if (pinNumber < 0 || pinNumber > 39)
            {
                throw new ArgumentException("the ESP32 has GPIO 0–39");
            }

            if (mode == PinMode.Output && pinNumber >= 34)
            {
                throw new ArgumentException("GPIO 34–39 are input only");
            }

            return new GpioPin(_run, pinNumber, mode);
        }

        public void Dispose()
        {
        }
    }
}
