using System.Device.Gpio;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Gpio;

namespace EdgeSensors.Gateway.Tests.Gpio;

/// <summary>The UPS's AC-fail contact on a simulated GPIO input becomes one power-cut alert per cut, in Vietnamese first.</summary>
public sealed class PowerCutTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_closed_AC_fail_contact_is_a_power_cut_once_it_holds_past_the_debounce_and_mains_back_clears_it()
    {
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        var monitor = new MainsMonitor(gpio, 5, TimeSpan.FromSeconds(2));
        AlertEvaluator evaluator = new(new AlertOptions());
        var transitions = new List<AlertTransition>();
        void At(double seconds)
        {
            DateTimeOffset now = T0.AddSeconds(seconds);
            if (monitor.Poll(now) is bool present)
            {
                transitions.AddRange(evaluator.OnMains("hg-gateway", now.ToUnixTimeSeconds(), present));
            }
        }

        At(0); // unwired or open contact: the pull-up reads mains present
        Assert.Empty(transitions);

        // A bounce shorter than the debounce is nothing.
        driver.SetInput(5, PinValue.Low);
        At(1);
        driver.SetInput(5, PinValue.High);
        At(1.5);
        At(4);
        Assert.Empty(transitions);

        // Mains lost for real: one warning.
        driver.SetInput(5, PinValue.Low);
        At(10);
        At(11);
        At(12.5);
        At(30);
        AlertTransition cut = Assert.Single(transitions);
        Assert.Equal((AlertKind.PowerCut, AlertLevel.Warning), (cut.Kind, cut.To));
        (string vi, string en) = AlertMessages.For(cut, null);
        Assert.StartsWith("Mất điện lưới", vi, StringComparison.Ordinal);
        Assert.Contains("backup battery", en, StringComparison.Ordinal);
        Assert.Equal("power_cut", AlertKinds.WireName(cut.Kind));

        // Mains back: cleared.
        driver.SetInput(5, PinValue.High);
        At(40);
        At(42.5);
        Assert.Equal(2, transitions.Count);
        Assert.Equal(AlertLevel.None, transitions[1].To);
        Assert.StartsWith("Trạm đã có điện lưới", AlertMessages.For(transitions[1], null).Vi, StringComparison.Ordinal);
    }
}
