namespace EdgeSensors.Emulator.Site;

/// <summary>Where an emulated node sits: around Vị Thanh, with an intrusion factor (1 = town centre; higher toward the Cái Lớn, lower inland).</summary>
public sealed record NodePlacement(string Id, double Lat, double Lon, string Place, double IntrusionFactor, double SensorElevationM);
