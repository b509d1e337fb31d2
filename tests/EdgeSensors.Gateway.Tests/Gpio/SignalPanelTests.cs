using System.Device.Gpio;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Gpio;

namespace EdgeSensors.Gateway.Tests.Gpio;

public class SignalPanelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 14, 8, 0, 0, TimeSpan.Zero);
    private readonly SimulatedGpioDriver _driver = new();

    private (SignalPanel Panel, GpioOptions Options) Make(Action<GpioOptions>? configure = null)
    {
        var o = new GpioOptions { TestPatternMs = 0 };
        configure?.Invoke(o);
        return (new SignalPanel(new GpioController(_driver), o), o);
    }

    private bool On(int pin) => _driver.Peek(pin) == PinValue.High;

    [Theory]
    [InlineData(AlertLevel.None, true, false, false, false)]
    [InlineData(AlertLevel.Watch, false, true, false, false)]
    [InlineData(AlertLevel.Warning, false, false, true, true)]
    [InlineData(AlertLevel.Danger, false, false, true, true)]
    public void Each_level_lights_the_right_lamp_and_sounds_the_buzzer_from_warning(AlertLevel level, bool green, bool amber, bool red, bool buzzer)
    {
        var (panel, o) = Make();
        panel.SetLevel(level, T0);
        Assert.Equal((green, amber, red, buzzer), (On(o.GreenPin), On(o.AmberPin), On(o.RedPin), On(o.BuzzerPin)));
    }

    [Fact]
    public void A_forecast_alone_blinks_amber_once_a_second_and_the_buzzer_stays_quiet()
    {
        var (panel, o) = Make();
        DateTimeOffset t = DateTimeOffset.FromUnixTimeSeconds(T0.ToUnixTimeSeconds());
        panel.SetLevel(AlertLevel.Watch, t, blink: true);
        Assert.True(On(o.AmberPin));
        panel.Poll(t.AddMilliseconds(600));
        Assert.False(On(o.AmberPin));
        panel.Poll(t.AddMilliseconds(1100));
        Assert.True(On(o.AmberPin));
        Assert.False(On(o.RedPin) || On(o.BuzzerPin) || On(o.GreenPin));
        Assert.True((bool)panel.State(t)["amber_blinking"]);

        // Watch for the water itself: steady amber.
        panel.SetLevel(AlertLevel.Watch, t, blink: false);
        panel.Poll(t.AddMilliseconds(600));
        Assert.True(On(o.AmberPin));
    }

    [Fact]
    public void The_relay_is_never_driven_unless_enabled()
    {
        var (panel, o) = Make();
        panel.SetRelayPermit(true, T0);
        Assert.Null(_driver.Peek(o.RelayPin)); // not even opened
    }

    [Fact]
    public void The_relay_follows_only_the_interlock_and_is_fail_safe_at_start_and_on_stop()
    {
        var (panel, o) = Make(o => o.RelayEnabled = true);
        Assert.Equal("warning", o.RelayLevel); // the default follows the profiles: no water from warning
        Assert.Equal(PinValue.Low, _driver.Peek(o.RelayPin)); // opened de-energised: nothing permitted before the first assessment

        panel.SetLevel(AlertLevel.None, T0);
        Assert.False(On(o.RelayPin)); // an alert level alone permits nothing
        panel.SetRelayPermit(true, T0);
        Assert.True(On(o.RelayPin)); // confirmed fresh water: energised, the pump may run
        panel.SetLevel(AlertLevel.Danger, T0);
        Assert.True(On(o.RelayPin)); // an alert (possibly from one forged message) does not move it
        panel.SetRelayPermit(false, T0);
        Assert.False(On(o.RelayPin)); // confirmed salt: de-energised, pump stopped
        Assert.Equal(false, panel.State(T0)["relay_permits_water"]);

        panel.SetRelayPermit(true, T0);
        Assert.True(On(o.RelayPin));
        panel.Dispose(); // a clean stop (and a dead gateway, whose pins float low through the driver's pull-down) stops the pump
        Assert.Equal(PinValue.Low, _driver.Peek(o.RelayPin));
    }

    [Fact]
    public void Button_bounces_shorter_than_the_debounce_do_not_silence()
    {
        var (panel, o) = Make();
        panel.SetLevel(AlertLevel.Danger, T0);
        for (int i = 0; i < 10; i++)
        {
            _driver.SetInput(o.SilenceButtonPin, PinValue.Low);
            panel.Poll(T0.AddMilliseconds((i * 20) + 1));
            panel.Poll(T0.AddMilliseconds((i * 20) + 30)); // 29 ms down < 50 ms debounce
            _driver.SetInput(o.SilenceButtonPin, PinValue.High);
            panel.Poll(T0.AddMilliseconds((i * 20) + 31));
        }

        Assert.True(On(o.BuzzerPin));
    }

    [Fact]
    public void A_held_press_silences_the_buzzer_until_the_timeout_then_it_sounds_again()
    {
        var (panel, o) = Make(x => x.SilenceMinutes = 30);
        panel.SetLevel(AlertLevel.Danger, T0);
        _driver.SetInput(o.SilenceButtonPin, PinValue.Low);
        panel.Poll(T0);
        panel.Poll(T0.AddMilliseconds(60));
        _driver.SetInput(o.SilenceButtonPin, PinValue.High);
        panel.Poll(T0.AddMilliseconds(200));
        Assert.False(On(o.BuzzerPin));
        Assert.True(On(o.RedPin)); // the light stays
        panel.Poll(T0.AddMinutes(29));
        Assert.False(On(o.BuzzerPin));
        panel.Poll(T0.AddMinutes(30).AddSeconds(1));
        Assert.True(On(o.BuzzerPin));
    }

    [Fact]
    public void A_worse_level_than_the_one_silenced_sounds_at_once()
    {
        var (panel, o) = Make();
        panel.SetLevel(AlertLevel.Warning, T0);
        _driver.SetInput(o.SilenceButtonPin, PinValue.Low);
        panel.Poll(T0);
        panel.Poll(T0.AddMilliseconds(60));
        _driver.SetInput(o.SilenceButtonPin, PinValue.High);
        Assert.False(On(o.BuzzerPin));
        panel.SetLevel(AlertLevel.Danger, T0.AddMinutes(1));
        Assert.True(On(o.BuzzerPin));
    }

    [Fact]
    public void The_simulated_driver_reports_unopened_pins_clearly()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => _driver.SetInput(5, PinValue.Low));
        Assert.Contains("pin 5", ex.Message, StringComparison.Ordinal);
    }
}
