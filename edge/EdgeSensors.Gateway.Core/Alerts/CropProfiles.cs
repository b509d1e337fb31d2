namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Default profiles. The rule (docs/alerts.md, sources in docs/salinity-thresholds.md): <b>warning</b> is the most a
/// source allows in water taken in — a Vietnamese agricultural service's "must stay below", or FAO's water threshold
/// where yield loss begins, whichever is lower; <b>danger</b> is where harm is certain — about 10 % yield loss on the
/// Maas–Hoffman line, or the source's "maximum tolerance"; <b>watch</b> is an engineering margin (about 60 % of warning),
/// marked as such. FAO figures are dS/m of the water at 25 °C; non-paddy crops' soil-extract thresholds (ECe) are taken
/// to water (ECw) as ECe / 1.5, FAO 29's assumption; paddy rice's are the flood water's own (USDA Salinity Laboratory
/// note). ‰ from dS/m by PSS-78 (<see cref="CropProfile.PptOf"/>). Every threshold is configurable (Alerts:Profiles).
/// </summary>
public static class CropProfiles
{
    private const string DongKhoi = "Báo Đồng Khởi (Bến Tre), 2023-03-09, provincial crop guidance";
    private const string Zeng2002 = "Zeng, Shannon & Roberts, California Agriculture 56(6), 2002: field water above 1.9 dS/m (≈ 1.0 ‰) cuts rice yield; emergence–seedling and three-leaf–panicle initiation most sensitive";
    private const string Zeng2001 = "Zeng, Shannon & Lesch, Agricultural Water Management 48, 2001: salinity between three-leaf and panicle initiation cuts seed yield most; between panicle initiation and booting, spikelets and grain weight";
    private const string MaasHoffman = "Maas–Hoffman (FAO Irrigation and Drainage Paper 29): paddy rice threshold 3.0 dS/m (≈ 1.56 ‰), 12 % yield per dS/m above it, so 10 % loss at 3.8 dS/m (≈ 2.0 ‰)";
    private const string Mard = "MARD Crop Production Dept. and National Agricultural Extension Centre (Báo Vĩnh Long 2016-03-01): do not irrigate with > 2 ‰";

    public static IReadOnlyList<CropProfile> Defaults { get; } =
    [
        new("rice_sowing", "Lúa (gieo sạ, mạ)", "Rice (sowing to three leaves)", "ruộng lúa", "rice fields", 0.6, 1.0, 2.0,
            $"warning: {Zeng2002}; danger: {Mard}, and {MaasHoffman}"),
        new("rice_tillering", "Lúa (đẻ nhánh)", "Rice (tillering, three leaves to panicle initiation)", "ruộng lúa", "rice fields", 0.6, 1.0, 1.5,
            $"warning: {Zeng2002}; danger: {MaasHoffman} — its threshold, not its 10 % point, on purpose (docs/alerts.md): {Zeng2001}"),
        new("rice_flowering", "Lúa (làm đòng, trổ bông)", "Rice (panicle initiation to flowering)", "ruộng lúa", "rice fields", 0.6, 1.0, 1.5,
            $"warning: {Zeng2002}; danger: {MaasHoffman} — its threshold, not its 10 % point, on purpose (docs/alerts.md): {Zeng2001}"),
        new("rice_shrimp", "Lúa trên đất tôm – lúa", "Rice after shrimp (shrimp–rice rotation)", "ruộng tôm – lúa", "shrimp–rice fields", 1.0, 2.0, 3.0,
            $"warning: {Mard}; danger: Bạc Liêu Dept. of Agriculture (snn.baclieu.gov.vn, 'Một số lưu ý trong canh tác lúa trên đất nuôi tôm'): rice grows normally only below 3 ‰, flush the salt before sowing, sow once canal water is fresh again; reopening below 1.0 ‰ for 24 h: the rice_sowing warning, since the rice sown next is at its most sensitive")
        {
            ReopenBelowPpt = 1.0,
            ReopenHoldMinutes = 24 * 60,
            ReopenVi = "có thể lấy nước rửa mặn và chuẩn bị gieo sạ",
            ReopenEn = "water may be taken to flush the salt before sowing",
        },
        new("durian", "Sầu riêng, măng cụt", "Durian, mangosteen", "vườn cây", "orchards", 0.3, 0.5, 1.0,
            $"warning: Nông nghiệp Việt Nam (nongnghiep.vn, 'Giải pháp phục hồi cây sầu riêng trên vùng đất bị nhiễm mặn', 2023): water for durian must be below 0.5 ‰; danger: {DongKhoi}: durian, mangosteen tolerate at most 1 ‰"),
        new("fruit", "Chuối, nhãn, đu đủ", "Banana, longan, papaya", "vườn cây", "orchards", 0.6, 1.0, 1.5,
            $"warning: {DongKhoi}: banana, longan, papaya tolerate at most 1 ‰; danger: engineering margin (1.5 × warning), no yield-loss line found"),
        new("pomelo", "Bưởi", "Pomelo", "vườn bưởi", "pomelo orchards", 0.3, 0.5, 0.8,
            $"warning: FAO Irrigation and Drainage Paper 29, Table 4: citrus (grapefruit, orange) water threshold 1.1–1.2 dS/m (ECe 1.7–1.8), later Maas data about 1.2–1.4 dS/m ECe, i.e. ≈ 0.5 ‰ in water; danger: 10 % loss at water 1.6 dS/m (≈ 0.8 ‰, ECe 2.3–2.4; 16 % per dS/m), well below {DongKhoi}'s pomelo maximum of 1.55 ‰, a survival limit"),
        new("citrus", "Cam, quýt, chanh", "Orange, mandarin, lime", "vườn cây có múi", "citrus orchards", 0.3, 0.5, 0.8,
            "as pomelo: FAO Irrigation and Drainage Paper 29, Table 4, citrus water threshold 1.1–1.2 dS/m (≈ 0.5 ‰); danger at 10 % loss, water 1.6 dS/m (≈ 0.8 ‰). Báo Đồng Khởi's 2–3 ‰ is a survival limit, not a yield one"),
        new("sugarcane", "Mía", "Sugarcane", "ruộng mía", "cane fields", 0.3, 0.5, 1.2,
            "FAO Irrigation and Drainage Paper 29, Table 4: sugarcane ECe 1.7 dS/m = water 1.1 dS/m (≈ 0.54 ‰) at no loss; 10 % loss at water 2.3 dS/m (≈ 1.18 ‰); 5.9 % per dS/m"),
        new("mango", "Xoài, mít", "Mango, jackfruit", "vườn cây", "orchards", 3.0, 4.0, 5.0,
            $"{DongKhoi}: mango, jackfruit tolerate 4–5 ‰ (warning at the lower, danger at the upper figure); no FAO yield-loss line"),
        new("coconut", "Dừa", "Coconut", "vườn dừa", "coconut groves", 6.0, 8.0, 10.0,
            $"danger: {DongKhoi}: coconut < 10 ‰; warning 2 ‰ below it, an engineering margin for the hour it takes to close a sluice on a spring flood (salinity rises up to about 1 ‰/h)"),
        new("vegetables", "Rau ăn lá", "Leafy vegetables", "ruộng rau", "vegetable beds", 0.3, 0.5, 1.0,
            $"warning: FAO Irrigation and Drainage Paper 29, Table 4: lettuce water threshold 0.9 dS/m (≈ 0.44 ‰), cabbage 1.2 dS/m; danger: {DongKhoi}: leafy vegetables at most 1 ‰"),
        new("poultry", "Nước uống gia cầm", "Poultry drinking water", "chuồng gia cầm", "poultry drinking troughs", 1.0, 2.0, 3.0,
            $"warning: {DongKhoi}: poultry < 2 ‰; danger: engineering margin (1.5 × warning)"),
        new("pigs", "Nước uống heo", "Pig drinking water", "chuồng heo", "pig drinking troughs", 3.0, 4.0, 5.0,
            $"warning: {DongKhoi}: pigs < 4 ‰; danger: engineering margin"),
        new("cattle", "Nước uống bò, dê", "Cattle and goat drinking water", "chuồng bò, dê", "cattle troughs", 5.0, 7.0, 9.0,
            $"warning: {DongKhoi}: cattle and goats < 7 ‰; danger: engineering margin"),
        new("aquaculture", "Nuôi cá nước ngọt", "Freshwater aquaculture", "ao cá", "fish ponds", 2.0, 3.0, 5.0,
            "ASSUMPTION: no source found in docs/salinity-thresholds.md; set from the pond's species before relying on it"),
        new("domestic", "Nước sinh hoạt", "Domestic water", "bể chứa nước sinh hoạt", "household water tanks", 0.3, 0.5, 3.0,
            "VnExpress International 2024-03-07: about 0.5 ‰ usual for drinking (warning); about 3 ‰ unfit even for washing (danger)"),
    ];

    public static CropProfile? Find(IEnumerable<CropProfile> profiles, string id) => profiles.FirstOrDefault(p => p.Id == id);
}
