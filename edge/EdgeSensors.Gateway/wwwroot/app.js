/* EdgeSensors farmers' page. Plain ES5 so that a commune office's old browser runs it. The one library, uPlot (the
   charts), is restored from npm at build time and served by the gateway itself; no CDN. Without it the page draws a
   plain fallback line. */
(function () {
  'use strict';
  var T = {
    vi: {
      title: 'Độ mặn kênh rạch', crop: 'Cây trồng', offline: 'Mất kết nối với trạm, đang thử lại…', loading: 'Đang tải…',
      pastAlerts: 'Cảnh báo gần đây', office: 'Đèn và còi tại UBND xã',
      footer: 'Số liệu từ các trạm đo EdgeSensors. Ngưỡng theo khuyến cáo của ngành nông nghiệp.',
      salinity: 'Độ mặn', level: 'Mực nước', temp: 'Nhiệt độ nước', updated: 'Cập nhật', ago: 'trước', noData: 'Chưa có số liệu', stale: 'dữ liệu cũ: {age}',
      s: 'giây', m: 'phút', h: 'giờ', d: 'ngày', h24: '24 giờ', d7: '7 ngày',
      rising: 'triều lên', falling: 'triều xuống', steady: 'đứng', unknown: '',
      ok: 'An toàn cho {crop}', watch: 'Theo dõi, hạn chế lấy nước', warning: 'Nước mặn, không lấy nước vào {water}', danger: 'NGUY HIỂM: đóng cống, không lấy nước',
      none: 'Không có cảnh báo', green: 'xanh', amber: 'vàng', red: 'đỏ', buzzer: 'còi', relay: 'rơ-le', silenced: 'đã tắt còi',
      cleared: 'đã hết', acked: 'đã xác nhận', lang: 'EN',
      lvl_danger: 'NGUY HIỂM', lvl_warning: 'CẢNH BÁO', lvl_watch: 'THEO DÕI', now: 'bây giờ', since: 'từ',
      b_watch: 'Theo dõi', b_warning: 'Cảnh báo', b_danger: 'Nguy hiểm', levelM: 'Mực nước (m)', salPpt: 'Độ mặn (‰)', time: 'Thời gian',
      intake: 'Giờ lấy nước an toàn (24 giờ tới)', noWindow: 'Không có giờ nào dưới ngưỡng trong 24 giờ tới', certainty: 'độ tin cậy',
      c_high: 'cao', c_medium: 'vừa', c_low: 'thấp', tomorrow: 'mai',
      activeCount: '{n} nơi đang có cảnh báo', showAll: 'Xem tất cả {n} nơi', simulated: 'mô phỏng (không có Pi)',
      search: 'Tìm kênh, ấp, xã…', mine: 'Trạm của tôi', addMine: 'Ghim trạm này', noMatch: 'Không có trạm nào tên như vậy',
      k_salinity: 'mặn', k_salinity_rising: 'mặn tăng nhanh', k_level_high: 'nước cao', k_level_low: 'nước ròng thấp, khó bơm', k_stale: 'mất tín hiệu', k_sensor_fault: 'lỗi cảm biến', k_enclosure_temp: 'tủ điện nóng', k_power_cut: 'mất điện lưới', k_salinity_forecast: 'dự báo mặn', k_salinity_upstream: 'mặn từ hạ lưu'
    },
    en: {
      title: 'Canal salinity', crop: 'Crop', offline: 'Connection to the station lost, retrying…', loading: 'Loading…',
      pastAlerts: 'Recent alerts', office: 'Lights and buzzer at the commune office',
      footer: 'Data from EdgeSensors stations. Thresholds follow agricultural guidance.',
      salinity: 'Salinity', level: 'Water level', temp: 'Water temperature', updated: 'Updated', ago: 'ago', noData: 'No data yet', stale: 'old data: {age}',
      s: 's', m: 'min', h: 'h', d: 'd', h24: '24 hours', d7: '7 days',
      rising: 'rising tide', falling: 'falling tide', steady: 'steady', unknown: '',
      ok: 'Safe for {crop}', watch: 'Watch, limit intake', warning: 'Salty: do not let water into {water}', danger: 'DANGER: close the gates, no intake',
      none: 'No alerts', green: 'green', amber: 'amber', red: 'red', buzzer: 'buzzer', relay: 'relay', silenced: 'silenced',
      cleared: 'cleared', acked: 'acknowledged', lang: 'VI',
      lvl_danger: 'DANGER', lvl_warning: 'WARNING', lvl_watch: 'WATCH', now: 'now', since: 'since',
      b_watch: 'Watch', b_warning: 'Warning', b_danger: 'Danger', levelM: 'Water level (m)', salPpt: 'Salinity (‰)', time: 'Time',
      intake: 'Safe hours to take water (next 24 h)', noWindow: 'No time below the threshold in the next 24 hours', certainty: 'certainty',
      c_high: 'high', c_medium: 'medium', c_low: 'low', tomorrow: 'tomorrow',
      activeCount: '{n} places with an alert', showAll: 'Show all {n} places', simulated: 'simulated (no Pi)',
      search: 'Find a canal, hamlet, commune…', mine: 'My station', addMine: 'Pin this station', noMatch: 'No station by that name',
      k_salinity: 'salinity', k_salinity_rising: 'salinity rising fast', k_level_high: 'high water', k_level_low: 'low tide, pumping may be hard', k_stale: 'no signal', k_sensor_fault: 'sensor fault', k_enclosure_temp: 'cabinet hot', k_power_cut: 'mains power lost', k_salinity_forecast: 'salt forecast', k_salinity_upstream: 'salt from downstream'
    }
  };
  var lang = read('lang') || 'vi';
  var crop = read('crop');
  var profiles = [];
  var stations = [];
  var alerts = [];
  var activeAlerts = [];
  var RANK = { danger: 3, warning: 2, watch: 1 };
  var gpio = null;
  var ranges = {};
  var histories = {};
  var intakes = {};
  var refreshTimer = null;
  var cards = {};
  var visible = {};
  var histDirty = {};
  var histVersion = 0;
  var drawnKey = {};
  var draws = window.__esDraws = { total: 0, by: {} }; /* read by the browser tests and bench/ (charts drawn, per station) */
  /* Which cards are on screen (with a margin, so a chart is ready as it scrolls in). Without IntersectionObserver
     (old browsers) every card counts as visible. */
  var observer = window.IntersectionObserver ? new IntersectionObserver(function (entries) {
    for (var i = 0; i < entries.length; i++) {
      var id = entries[i].target.getAttribute('data-station');
      visible[id] = entries[i].isIntersecting;
      if (entries[i].isIntersecting) { onVisible(id); }
    }
  }, { rootMargin: '200px 0px' }) : null;

  function read(k) { try { return window.localStorage.getItem('es.' + k); } catch (e) { return null; } }
  function save(k, v) { try { window.localStorage.setItem('es.' + k, v); } catch (e) { /* private mode */ } }
  function t(k) { return Object.prototype.hasOwnProperty.call(T[lang], k) ? T[lang][k] : k; }
  function el(id) { return document.getElementById(id); }
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }

  /* Numbers as Vietnamese write them: 2,4‰ (decimal comma). */
  function num(v, digits) {
    var s = (Math.round(v * Math.pow(10, digits)) / Math.pow(10, digits)).toFixed(digits);
    if (digits > 1) { s = s.replace(/0$/, ''); }
    return lang === 'vi' ? s.replace('.', ',') : s;
  }
  function ppt(v) { return num(v, 2) + '‰'; }

  /* GET as JSON. The last good answer of each public URL is kept (localStorage), so on a weak link or none the page
     shows the last readings under the "connection lost" banner instead of nothing. */
  function get(url, done, fail) {
    var x = new XMLHttpRequest();
    x.open('GET', url, true);
    x.onreadystatechange = function () {
      if (x.readyState !== 4) { return; }
      if (x.status >= 200 && x.status < 300) {
        el('offline').className = navigator.onLine === false ? 'banner' : 'banner hidden';
        save('cache.' + url, x.responseText);
        done(JSON.parse(x.responseText));
        return;
      }
      el('offline').className = 'banner';
      var kept = read('cache.' + url);
      if (kept) { done(JSON.parse(kept)); } else if (fail) { fail(); }
    };
    x.send();
  }

  function profile() {
    for (var i = 0; i < profiles.length; i++) { if (profiles[i].id === crop) { return profiles[i]; } }
    return profiles[0];
  }

  /* The station's answer for the chosen crop comes from the gateway (issue 30: the core's IntakeVerdict, the same the
     alerts, lamps, relay and SMS follow, reopening hold included); the page only shows it, never judges a value. */
  var CLS = { none: 'green', watch: 'amber', warning: 'red', danger: 'red' };
  function verdict(s) {
    var v = s && s.intake;
    if (!v) { return { cls: 'grey', level: 'unknown', text: t('noData'), why: '' }; }
    return { cls: CLS[v.level] || 'grey', level: v.level, text: lang === 'vi' ? v.text_vi : v.text_en, why: lang === 'vi' ? v.why_vi : v.why_en, since: v.since, reopen: v.reopen_at };
  }

  /* How old a station's last reading is, from the reading's own receive time (rx, Unix s) and this phone's clock,
     every time it is shown and on every tick: a cached page never says "24 s ago" for three hours (issue 30). Older
     than STALE_S it is said as old data and the card turns grey. */
  var STALE_S = 3600;
  function ageOf(s) {
    if (s.rx != null) { return Math.max(0, Math.floor(Date.now() / 1000) - s.rx); }
    return s.age_s != null ? s.age_s : null;
  }
  function ageText(sec) {
    if (sec == null) { return '—'; }
    var text = age(sec) + ' ' + t('ago');
    return sec > STALE_S ? t('stale').replace('{age}', text) : text;
  }
  function refreshAges() {
    var cards = document.querySelectorAll('[data-station]');
    for (var i = 0; i < cards.length; i++) {
      var st = stationOf(cards[i].getAttribute('data-station'));
      if (!st) { continue; }
      var sec = ageOf(st), span = cards[i].querySelector('[data-age]');
      if (span) { span.textContent = ageText(sec); }
      var stale = sec != null && sec > STALE_S;
      cards[i].setAttribute('data-stale', stale ? 'true' : 'false');
      var head = cards[i].querySelector('.head');
      if (head) { head.className = 'head ' + (stale ? 'grey' : cards[i].getAttribute('data-verdict')); }
    }
  }

  function age(sec) {
    if (sec == null) { return ''; }
    if (sec < 90) { return sec + ' ' + t('s'); }
    if (sec < 5400) { return Math.round(sec / 60) + ' ' + t('m'); }
    if (sec < 172800) { return Math.round(sec / 3600) + ' ' + t('h'); }
    return Math.round(sec / 86400) + ' ' + t('d');
  }

  function two(n) { return ('0' + n).slice(-2); }

  /* Times on the page are Vietnam's (UTC+7, no daylight saving), whatever the phone is set to: the same clock as the
     texts the gateway writes ("mở lại từ 15:05") and the SMS. Read with getUTC*. */
  function vn(sec) { return new Date((sec + 7 * 3600) * 1000); }

  /* A real time-series chart (uPlot): salinity on the left axis with the crop's thresholds as labelled bands, the
     water level (the tide) on the right axis, times in local time, the values at the cursor or the tap in the legend. */
  function drawChart(id) {
    var box = document.querySelector('[data-chart="' + id + '"]'), h = histories[id], p = profile();
    if (!box || !h || !p) { return; }
    var key = h.version + '|' + crop + '|' + lang + '|' + (box.clientWidth || 0);
    if (drawnKey[id] === key) { return; }
    drawnKey[id] = key;
    draws.total++;
    draws.by[id] = (draws.by[id] || 0) + 1;
    if (!window.uPlot || !h.points.length) { box.innerHTML = fallbackChart(id); return; }
    var xs = [], sal = [], lvl = [], i, top = p.danger * 1.3;
    for (i = 0; i < h.points.length; i++) {
      xs.push(h.points[i].ts);
      sal.push(h.points[i].salinity_ppt);
      lvl.push(h.points[i].level_m);
      if (h.points[i].salinity_ppt > top) { top = h.points[i].salinity_ppt * 1.1; }
    }
    var bands = [[p.watch, p.warning, 'rgba(232,160,0,0.15)', t('b_watch')], [p.warning, p.danger, 'rgba(192,38,45,0.13)', t('b_warning')], [p.danger, top, 'rgba(192,38,45,0.28)', t('b_danger')]];
    box.setAttribute('data-axis-labels', t('salPpt') + '|' + t('levelM')); /* drawn on the canvas: said here for tests and screen readers' sake */
    box.setAttribute('aria-label', t('salPpt') + ', ' + t('levelM'));
    box.setAttribute('data-bands', bands.map(function (b) { return b[3] + ' ' + ppt(b[0]); }).join('|'));
    var opts = {
      /* Splits on Vietnam's hours too (the labels are formatted in Vietnam time below). */
      tzDate: window.uPlot.tzDate ? function (ts) { return window.uPlot.tzDate(new Date(ts * 1e3), 'Asia/Ho_Chi_Minh'); } : undefined,
      width: Math.max(240, box.clientWidth || 300), height: 200,
      scales: { x: { time: true, range: function () { return [h.from, h.to]; } }, /* the whole window asked for: a new station's one reading, or a gap, shows as such */ ppt: { range: function () { return [0, top]; } }, m: { auto: true } },
      series: [
        { label: t('time'), value: function (u, v) { if (v == null) { return '—'; } var d = vn(v); return two(d.getUTCDate()) + '/' + two(d.getUTCMonth() + 1) + ' ' + two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()); } },
        { label: t('salPpt'), scale: 'ppt', stroke: '#0d5c46', width: 2, spanGaps: false, value: function (u, v) { return v == null ? '—' : ppt(v); } },
        { label: t('levelM'), scale: 'm', stroke: '#2b6cb0', width: 1, dash: [5, 4], value: function (u, v) { return v == null ? '—' : num(v, 2) + ' m'; } }
      ],
      axes: [
        { size: 34, values: function (u, splits) {
          var out = splits.map(function (s) { var d = vn(s); return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? d.getUTCDate() + '/' + (d.getUTCMonth() + 1) : two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()); });
          box.setAttribute('data-x-ticks', out.join(' '));
          return out;
        } },
        { scale: 'ppt', size: 46, label: t('salPpt'), labelSize: 16, labelFont: '12px sans-serif', values: function (u, splits) { var out = splits.map(function (v) { return num(v, 1); }); box.setAttribute('data-y-ticks', out.join(' ')); return out; } },
        { scale: 'm', side: 1, size: 46, label: t('levelM'), labelSize: 16, labelFont: '12px sans-serif', grid: { show: false }, values: function (u, splits) { var out = splits.map(function (v) { return num(v, 1); }); box.setAttribute('data-level-ticks', out.join(' ')); return out; } }
      ],
      legend: { live: true },
      /* The bands under the lines; their labels over them, on a white plate, so a line never hides one. */
      hooks: { drawClear: [function (u) {
        var c = u.ctx, l = u.bbox.left, w = u.bbox.width, k;
        c.save();
        for (k = 0; k < bands.length; k++) {
          var y0 = u.valToPos(bands[k][0], 'ppt', true), y1 = u.valToPos(Math.min(bands[k][1], top), 'ppt', true);
          c.fillStyle = bands[k][2];
          c.fillRect(l, y1, w, y0 - y1);
        }
        c.restore();
      }], draw: [function (u) {
        var c = u.ctx, l = u.bbox.left, w = u.bbox.width, k, px = devicePixelRatio || 1;
        c.save();
        c.font = 'bold ' + Math.round(11 * px) + 'px sans-serif';
        c.textAlign = 'right';
        c.textBaseline = 'bottom';
        for (k = 0; k < bands.length; k++) {
          var y0 = u.valToPos(bands[k][0], 'ppt', true), label = bands[k][3] + ' ' + ppt(bands[k][0]), tw = c.measureText(label).width;
          c.fillStyle = 'rgba(255,255,255,0.85)';
          c.fillRect(l + w - tw - 8 * px, y0 - 15 * px, tw + 6 * px, 14 * px);
          c.fillStyle = '#7a1d20';
          c.fillText(label, l + w - 4 * px, y0 - 2 * px);
        }
        c.restore();
      }] }
    };
    box.innerHTML = '';
    var u = new window.uPlot(opts, [xs, sal, lvl], box);
    /* Tap for a value: a finger on the chart moves the cursor, and the legend shows the time and the values there. */
    function touch(e) {
      var r = u.over.getBoundingClientRect(), p0 = e.touches && e.touches[0];
      if (!p0) { return; }
      u.setCursor({ left: Math.max(0, Math.min(r.width, p0.clientX - r.left)), top: Math.max(0, Math.min(r.height, p0.clientY - r.top)) });
    }
    u.over.addEventListener('touchstart', touch, { passive: true });
    u.over.addEventListener('touchmove', touch, { passive: true });
  }

  function fallbackChart(id) {
    var h = histories[id];
    if (!h || !h.points.length) { return '<svg viewBox="0 0 300 120"></svg>'; }
    var pts = h.points, p = profile(), max = p ? p.warning * 1.5 : 1, i;
    for (i = 0; i < pts.length; i++) { if (pts[i].salinity_ppt > max) { max = pts[i].salinity_ppt; } }
    var x0 = h.from, span = Math.max(1, h.to - h.from), line = '';
    for (i = 0; i < pts.length; i++) {
      if (pts[i].salinity_ppt == null) { continue; }
      line += (line ? ' ' : '') + Math.round((pts[i].ts - x0) / span * 300) + ',' + Math.round(115 - pts[i].salinity_ppt / max * 110);
    }
    var warn = p ? Math.round(115 - p.warning / max * 110) : -1;
    return '<svg viewBox="0 0 300 120" preserveAspectRatio="none" role="img" aria-label="' + t('salinity') + '">' +
      (warn >= 0 ? '<line x1="0" x2="300" y1="' + warn + '" y2="' + warn + '" stroke="#c0262d" stroke-dasharray="4,3"/>' : '') +
      '<polyline fill="none" stroke="#0d5c46" stroke-width="2" points="' + line + '"/></svg>';
  }

  /* A chart is fetched and drawn only while its card is on screen, and drawn again only when its own data, the crop
     or the language changed (issue 30: every answer used to redraw every chart — 1,962 draws for 36 stations). */
  function loadHistory(id) {
    var hours = ranges[id] || 24;
    histDirty[id] = false;
    get('/api/public/stations/' + encodeURIComponent(id) + '/history?hours=' + hours, function (h) {
      h.version = ++histVersion;
      histories[id] = h;
      if (visible[id]) { drawChart(id); }
    });
  }

  function onVisible(id) {
    if (!histories[id] || histDirty[id]) { loadHistory(id); } else { drawChart(id); }
    if (!intakes[id] || intakes[id].profile !== crop) { loadIntake(id); }
  }

  /* "Giờ lấy nước an toàn": the forecast windows, or plainly why there are none. */
  function intakeLine(id) {
    var f = intakes[id];
    if (!f) { return ''; }
    var body;
    if (!f.enough_data) {
      body = '<span class="muted">' + esc(lang === 'vi' ? f.reason_vi : f.reason_en) + '</span>';
    } else if (!f.windows.length) {
      body = esc(t('noWindow'));
    } else {
      var today = vn(f.from).getUTCDate(), parts = [];
      for (var i = 0; i < f.windows.length; i++) {
        var w = f.windows[i];
        parts.push('<b>' + hhmm(w.from) + '–' + hhmm(w.to) + '</b>' + (vn(w.from).getUTCDate() !== today ? ' (' + t('tomorrow') + ')' : ''));
      }
      body = parts.join(' · ');
    }
    return '<div class="intake" data-intake="' + esc(id) + '"><div class="intake-title">' + esc(t('intake')) + '</div>' + body +
      (f.enough_data ? '<div class="muted small">' + t('certainty') + ': ' + t('c_' + f.certainty) + ' (± ' + num(f.rms_ppt, 2) + '‰)</div>' : '') + '</div>';
  }

  function loadIntake(id) {
    get('/api/public/stations/' + encodeURIComponent(id) + '/intake?profile=' + encodeURIComponent(crop || ''), function (f) { intakes[id] = f; var c = cards[id]; if (c) { fillCard(c, stationOf(id)); } });
  }

  function loadIntakes() { for (var i = 0; i < stations.length; i++) { if (visible[stations[i].id]) { loadIntake(stations[i].id); } } }

  /* Diacritics off and lower case, so "vi tan" finds "Vị Tân" (đ has no decomposition: mapped by hand). */
  function fold(x) {
    var f = String(x || '').toLowerCase().replace(/đ/g, 'd');
    return f.normalize ? f.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : f;
  }

  function mine() { try { return JSON.parse(read('mine') || '[]'); } catch (e) { return []; } }

  /* One card per station, built once and filled in place: its chart stays as drawn unless its own data changed. */
  function makeCard(s) {
    var c = document.createElement('article');
    c.className = 'card';
    c.setAttribute('data-station', s.id);
    c.innerHTML = '<div class="head"><button type="button" class="pin" data-pin="' + esc(s.id) + '" aria-pressed="false">☆</button>' +
      '<div class="place"></div><div class="id"></div><div class="value"></div><div class="verdict"></div><div class="why small"></div></div>' +
      '<div class="body"><div class="row"><span data-t-level></span><span data-level></span></div>' +
      '<div class="row"><span data-t-temp></span><span data-temp></span></div><div data-intake-box></div>' +
      '<div class="row muted"><span data-t-updated></span><span data-age="1"></span></div>' +
      '<div class="tabs"><button type="button" data-range="24" data-id="' + esc(s.id) + '"></button><button type="button" data-range="168" data-id="' + esc(s.id) + '"></button></div>' +
      '<div class="chart" data-chart="' + esc(s.id) + '"></div></div>';
    if (observer) { observer.observe(c); } else { visible[s.id] = true; }
    return c;
  }

  function fillCard(c, s) {
    if (!s) { return; }
    var l = s.latest || {}, v = verdict(s), r = ranges[s.id] || 24, pinned = mine().indexOf(s.id) >= 0;
    function q(sel) { return c.querySelector(sel); }
    c.setAttribute('data-verdict', v.cls);
    c.setAttribute('data-level', v.level);
    c.setAttribute('data-mine', pinned ? 'true' : 'false');
    q('.place').textContent = s.place || s.id;
    q('.id').textContent = s.id;
    q('.value').textContent = l.salinity_ppt != null ? ppt(l.salinity_ppt) : '—';
    q('.verdict').textContent = v.text;
    q('.why').textContent = v.why ? v.why + (v.since ? ' · ' + t('since') + ' ' + when(v.since) : '') : '';
    var pin = q('.pin');
    pin.textContent = pinned ? '★' : '☆';
    pin.setAttribute('aria-pressed', pinned ? 'true' : 'false');
    pin.setAttribute('aria-label', pinned ? t('mine') : t('addMine'));
    q('[data-t-level]').textContent = t('level');
    q('[data-level]').textContent = l.level_m != null ? num(l.level_m, 2) + ' m ' + (s.tide === 'rising' ? '↑ ' : s.tide === 'falling' ? '↓ ' : '') + t(s.tide) : '—';
    q('[data-t-temp]').textContent = t('temp');
    q('[data-temp]').textContent = l.water_temp_c != null ? num(l.water_temp_c, 1) + ' °C' : '—';
    q('[data-intake-box]').innerHTML = intakeLine(s.id);
    q('[data-t-updated]').textContent = t('updated');
    var tabs = c.querySelectorAll('[data-range]');
    tabs[0].textContent = t('h24'); tabs[0].className = r === 24 ? 'on' : '';
    tabs[1].textContent = t('d7'); tabs[1].className = r === 168 ? 'on' : '';
  }

  function renderStations() {
    var box = el('stations');
    if (!stations.length) { box.innerHTML = '<p class="muted">' + t('noData') + '</p>'; return; }
    if (!box.querySelector('[data-station]')) { box.innerHTML = ''; }
    var pinned = mine(), order = [], i;
    for (i = 0; i < stations.length; i++) { if (pinned.indexOf(stations[i].id) >= 0) { order.push(stations[i]); } }
    for (i = 0; i < stations.length; i++) { if (pinned.indexOf(stations[i].id) < 0) { order.push(stations[i]); } }
    var f = fold(el('search').value), shown = 0;
    for (i = 0; i < order.length; i++) {
      var s = order[i], c = cards[s.id];
      if (!c) { c = cards[s.id] = makeCard(s); }
      fillCard(c, s);
      var match = !f || fold(s.place).indexOf(f) >= 0 || fold(s.id).indexOf(f) >= 0;
      c.style.display = match ? '' : 'none';
      if (match) { shown++; }
      if (box.children[i] !== c) { box.insertBefore(c, box.children[i] || null); }
    }
    el('no-match').className = shown ? 'muted hidden' : 'muted';
    refreshAges();
  }

  function hhmm(sec) {
    var d = vn(sec);
    return two(d.getUTCHours()) + ':' + two(d.getUTCMinutes());
  }

  /* A time with its date when it is not today (an alert can be days old). */
  function when(sec) {
    var d = vn(sec), n = vn(Date.now() / 1000);
    return d.toISOString().slice(0, 10) === n.toISOString().slice(0, 10) ? hhmm(sec) : d.getUTCDate() + '/' + (d.getUTCMonth() + 1) + ' ' + hhmm(sec);
  }

  function stationOf(id) {
    for (var i = 0; i < stations.length; i++) { if (stations[i].id === id) { return stations[i]; } }
    return null;
  }

  /* Active alerts only, one line per place (the worst first), with the place's name, its salinity now and since
     when; three lines at most above the stations, every other place one tap away (issue 16). */
  /* Active alerts, one line per place (the worst first), each kind with its own level — a low tide's watch is not
     merged into a salinity danger. The salinity line is the stations' answer for the crop chosen above (the same
     as the cards); the other kinds are the gateway's alerts. A salt forecast or upstream warning is about the
     station's own crop's level, so it is shown when that crop is the one chosen (issue 30/31). */
  function renderAlerts() {
    var groups = {}, order = [], i, a, g;
    function group(node) {
      g = groups[node];
      if (!g) { g = groups[node] = { node: node, level: 'watch', since: null, items: [] }; order.push(g); }
      return g;
    }
    function add(gr, kind, level, since) {
      gr.items.push({ kind: kind, level: level });
      if (RANK[level] > RANK[gr.level]) { gr.level = level; }
      if (since != null && (gr.since == null || since < gr.since)) { gr.since = since; }
    }
    for (i = 0; i < stations.length; i++) {
      var v = stations[i].intake;
      if (v && RANK[v.level]) { add(group(stations[i].id), 'salinity', v.level, v.since); }
    }
    for (i = 0; i < activeAlerts.length; i++) {
      a = activeAlerts[i];
      if (a.kind === 'salinity') { continue; }
      var st0 = stationOf(a.node);
      var forecast = a.kind === 'salinity_forecast' || a.kind === 'salinity_upstream';
      if (forecast && st0 && st0.own_profile && st0.own_profile !== crop) { continue; }
      g = group(a.node);
      add(g, a.kind, a.level, a.raised_at);
      if (forecast) { (g.forecasts = g.forecasts || []).push(lang === 'vi' ? a.msg_vi : a.msg_en); }
    }
    for (i = 0; i < order.length; i++) {
      var st = stationOf(order[i].node);
      order[i].place = st && st.place ? st.place : order[i].node;
      order[i].now = st && st.latest ? st.latest.salinity_ppt : null;
      order[i].age = st ? ageOf(st) : null;
      order[i].items.sort(function (x, y) { return RANK[y.level] - RANK[x.level]; });
    }
    order.sort(function (x, y) { return (RANK[y.level] - RANK[x.level]) || ((y.now || 0) - (x.now || 0)); });
    /* Two stations with one place name are told apart by their id. */
    var seen = {};
    for (i = 0; i < order.length; i++) { seen[order[i].place] = (seen[order[i].place] || 0) + 1; }
    for (i = 0; i < order.length; i++) { if (seen[order[i].place] > 1) { order[i].place += ' (' + order[i].node + ')'; } }
    function line(x) {
      var parts = [], last = null;
      for (var k = 0; k < x.items.length; k++) {
        var it = x.items[k];
        parts.push((it.level !== last ? t('lvl_' + it.level) + ': ' : '') + t('k_' + it.kind));
        last = it.level;
      }
      return '<div class="alert ' + (x.level === 'watch' ? 'amber' : 'red') + '" data-alert-node="' + esc(x.node) + '" data-alert-level="' + esc(x.level) + '"><b>' + esc(x.place) + '</b> · ' +
        esc(parts.join(', ')) + (x.now != null ? (x.age != null && x.age > STALE_S ? ' · ' + ppt(x.now) + ' (' + esc(ageText(x.age)) + ')' : ' · ' + t('now') + ' ' + ppt(x.now)) : '') +
        (x.since != null ? ' · ' + t('since') + ' ' + when(x.since) : '') +
        (x.forecasts ? x.forecasts.map(function (f) { return '<div class="forecast">' + esc(f) + '</div>'; }).join('') : '') + '</div>';
    }
    var html = '';
    if (order.length) {
      html += '<div class="alert-count">' + esc(t('activeCount').replace('{n}', order.length)) + '</div>';
      for (i = 0; i < order.length && i < 3; i++) { html += line(order[i]); }
      if (order.length > 3) {
        html += '<details class="more"><summary>' + esc(t('showAll').replace('{n}', order.length)) + '</summary>';
        for (i = 3; i < order.length; i++) { html += line(order[i]); }
        html += '</details>';
      }
    }
    el('active-alerts').innerHTML = html;
    var past = '';
    for (i = 0; i < alerts.length; i++) {
      a = alerts[i];
      var ps = stationOf(a.node);
      past += '<li>' + when(a.updated_at) + ' · ' + esc(ps && ps.place ? ps.place : a.node) + ' · ' + esc(lang === 'vi' ? a.msg_vi : a.msg_en) +
        (a.state === 'cleared' ? ' (' + t('cleared') + ')' : a.acked_at ? ' (' + t('acked') + ')' : '') + '</li>';
    }
    el('past-alerts').innerHTML = past || '<li class="muted">' + t('none') + '</li>';
  }

  function renderGpio() {
    if (!gpio) { return; }
    var s = gpio.state || gpio;
    el('gpio').innerHTML =
      '<span><span class="lamp g' + (s.green ? ' on' : '') + '"></span> ' + t('green') + '</span>' +
      '<span><span class="lamp a' + (s.amber ? ' on' : '') + '"></span> ' + t('amber') + '</span>' +
      '<span><span class="lamp r' + (s.red ? ' on' : '') + '"></span> ' + t('red') + '</span>' +
      '<span>' + t('buzzer') + ': ' + (s.buzzer ? '●' : '○') + (s.silenced ? ' (' + t('silenced') + ')' : '') + '</span>' +
      (s.relay_enabled ? '<span>' + t('relay') + ': ' + (s.relay ? '●' : '○') + '</span>' : '') +
      (gpio.driver ? '<span class="muted">' + esc(gpio.driver === 'simulated' ? t('simulated') : gpio.driver) + '</span>' : '');
  }

  function renderStatic() {
    document.documentElement.lang = lang;
    var nodes = document.querySelectorAll('[data-t]');
    for (var i = 0; i < nodes.length; i++) { nodes[i].textContent = t(nodes[i].getAttribute('data-t')); }
    el('lang').textContent = t('lang');
    el('search').setAttribute('placeholder', t('search'));
    el('search').setAttribute('aria-label', t('search'));
    var opts = '';
    for (var j = 0; j < profiles.length; j++) {
      opts += '<option value="' + esc(profiles[j].id) + '"' + (profiles[j].id === crop ? ' selected' : '') + '>' + esc(lang === 'vi' ? profiles[j].name_vi : profiles[j].name_en) + '</option>';
    }
    el('crop').innerHTML = opts;
  }

  function redrawVisible() { for (var id in visible) { if (visible[id]) { drawChart(id); } } }

  function renderAll() { renderStatic(); renderStations(); renderAlerts(); renderGpio(); redrawVisible(); }

  function refresh() {
    get('/api/public/stations?profile=' + encodeURIComponent(crop), function (s) {
      stations = s;
      renderStations();
      renderAlerts();
    });
    get('/api/public/alerts?active=true&limit=1000', function (a) { activeAlerts = a; renderAlerts(); });
    get('/api/public/alerts?limit=20', function (a) { alerts = a; renderAlerts(); });
  }

  function scheduleRefresh() {
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(function () { refreshTimer = null; refresh(); }, 300);
  }

  /* A reading marks only its own station's chart out of date; it is fetched again if on screen, else when it comes. */
  var histTimer = null;
  function onReading(e) {
    var node = null;
    try { node = JSON.parse(e.data).node; } catch (x) { return; }
    histDirty[node] = true;
    if (histTimer) { return; }
    histTimer = setTimeout(function () {
      histTimer = null;
      for (var id in histDirty) { if (histDirty[id] && visible[id]) { loadHistory(id); } }
    }, 2000);
  }

  function live() {
    if (!window.EventSource) { setInterval(refresh, 15000); return; }
    var es = new EventSource('/api/public/live');
    es.addEventListener('reading', onReading);
    es.addEventListener('alert', scheduleRefresh);
    es.addEventListener('judged', scheduleRefresh); /* the gateway has judged new readings: their values and answers */
    es.addEventListener('gpio', function (e) { gpio = { driver: gpio && gpio.driver, state: JSON.parse(e.data) }; renderGpio(); });
    es.onerror = function () { el('offline').className = 'banner'; };
    es.onopen = function () { el('offline').className = 'banner hidden'; };
  }

  el('lang').onclick = function () { lang = lang === 'vi' ? 'en' : 'vi'; save('lang', lang); renderAll(); };
  el('crop').onchange = function () { crop = this.value; save('crop', crop); refresh(); loadIntakes(); redrawVisible(); };
  el('search').oninput = function () { renderStations(); };
  el('stations').onclick = function (e) {
    var b = e.target || e.srcElement;
    if (b && b.getAttribute && b.getAttribute('data-range')) {
      ranges[b.getAttribute('data-id')] = parseInt(b.getAttribute('data-range'), 10);
      fillCard(cards[b.getAttribute('data-id')], stationOf(b.getAttribute('data-id')));
      loadHistory(b.getAttribute('data-id'));
    }
    if (b && b.getAttribute && b.getAttribute('data-pin')) {
      /* "My station": kept on this phone, shown first. */
      var id = b.getAttribute('data-pin'), m = mine(), at = m.indexOf(id);
      if (at >= 0) { m.splice(at, 1); } else { m.push(id); }
      save('mine', JSON.stringify(m));
      renderStations();
    }
  };

  /* Offline from cache (sw.js): where the browser allows service workers (HTTPS, or this gateway on localhost). Over
     plain HTTP from a phone the browser allows none: an open page keeps its last answers, but a reload with no
     connection shows the browser's own error page (README, "The farmers' page on a phone"). */
  if (navigator.serviceWorker && (location.protocol === 'https:' || location.hostname === '127.0.0.1' || location.hostname === 'localhost')) {
    navigator.serviceWorker.register('sw.js').catch(function () { /* the page works without it */ });
  }

  get('/api/public/profiles', function (p) {
    profiles = p;
    var known = false;
    for (var i = 0; i < p.length; i++) { if (p[i].id === crop) { known = true; } }
    if (!known) { crop = 'rice_tillering'; }
    renderAll();
    refresh();
    get('/api/public/gpio', function (g) { gpio = g; renderGpio(); });
    live();
    setInterval(function () { refresh(); }, 60000);
    setInterval(loadIntakes, 15 * 60000);
    setInterval(function () { refreshAges(); renderAlerts(); }, 15000);
  });
}());
