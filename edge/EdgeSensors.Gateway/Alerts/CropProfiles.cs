namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Default profiles, from the sources collected in docs/salinity-thresholds.md (Vietnamese press and extension
/// services quoting MARD and provincial agricultural guidance). Every threshold is configurable (Alerts:Profiles).
/// </summary>
public static class CropProfiles
{
    private const string DongKhoi = "Báo Đồng Khởi (Bến Tre), 2023-03-09";

    public static IReadOnlyList<CropProfile> Defaults { get; } =
    [
        new("rice_sowing", "Lúa (gieo sạ)", "Rice (sowing)", "ruộng lúa", "rice fields", 1.0, 2.0, 3.0,
            "MARD Crop Production Dept. and National Agricultural Extension Centre (Báo Vĩnh Long 2016-03-01): do not irrigate with > 2 ‰, do not sow where > 3 ‰"),
        new("rice_tillering", "Lúa (đẻ nhánh)", "Rice (tillering)", "ruộng lúa", "rice fields", 1.5, 2.0, 4.0,
            DongKhoi + ": rice < 2 ‰; Cửu Long University: 4 ‰ for 7–8 days at tillering cut OM5451 yield by up to 60.7 %"),
        new("durian", "Sầu riêng, măng cụt, chuối, nhãn", "Durian, mangosteen, banana, longan", "vườn cây", "orchards", 0.5, 1.0, 2.0,
            DongKhoi + ": ≤ 1 ‰"),
        new("citrus", "Cây có múi, ổi", "Citrus, guava", "vườn cây", "orchards", 1.5, 2.0, 3.0, DongKhoi + ": 2–3 ‰"),
        new("mango", "Xoài, mít", "Mango, jackfruit", "vườn cây", "orchards", 3.0, 4.0, 5.0, DongKhoi + ": 4–5 ‰"),
        new("coconut", "Dừa", "Coconut", "vườn dừa", "coconut groves", 6.0, 8.0, 10.0, DongKhoi + ": < 10 ‰"),
        new("vegetables", "Rau ăn lá", "Leafy vegetables", "ruộng rau", "vegetable beds", 0.5, 1.0, 2.0, DongKhoi + ": ≤ 1 ‰"),
        new("poultry", "Nước uống gia cầm", "Poultry drinking water", "chuồng gia cầm", "poultry drinking troughs", 1.0, 2.0, 3.0, DongKhoi + ": poultry < 2 ‰"),
        new("pigs", "Nước uống heo", "Pig drinking water", "chuồng heo", "pig drinking troughs", 3.0, 4.0, 5.0, DongKhoi + ": pigs < 4 ‰"),
        new("cattle", "Nước uống bò, dê", "Cattle and goat drinking water", "chuồng bò, dê", "cattle troughs", 5.0, 7.0, 9.0, DongKhoi + ": cattle and goats < 7 ‰"),
        new("aquaculture", "Nuôi cá nước ngọt", "Freshwater aquaculture", "ao cá", "fish ponds", 2.0, 3.0, 5.0,
            "ASSUMPTION: no source found in docs/salinity-thresholds.md; set from the pond's species before relying on it"),
        new("domestic", "Nước sinh hoạt", "Domestic water", "bể chứa nước sinh hoạt", "household water tanks", 0.5, 1.0, 3.0,
            "VnExpress International 2024-03-07: about 0.5 ‰ usual for drinking; about 3 ‰ unfit even for washing"),
    ];

    public static CropProfile? Find(IEnumerable<CropProfile> profiles, string id) => profiles.FirstOrDefault(p => p.Id == id);
}
