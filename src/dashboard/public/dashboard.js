/*
 * Bảng theo dõi: talks only to the GraphQL API (/graphql) with the user's token.
 * Pick a unit and a period: its indicators against its effective targets, its children (drill down
 * by clicking one), and for the ministry the national comparison, one chart per indicator.
 * The periods offered are those of the plans in the token's scope (query `periods`). Units are read on
 * the tree of a date: by default the period's last day (2024 → province → district → commune; from
 * 2025-Q3 → province → commune), or the date chosen in "Ngày (cây đơn vị)".
 * The ministry also sees a trend ("Xu hướng"): one indicator, a small chart per province over the chosen years, from
 * one `nationalTrend` request on one tree (the chosen date's, else the last day of the latest year chosen).
 * The unit's plans covering the period (query `plans`, then `plan` for each: the cost limit refuses lists nested
 * three deep in one query) show their status, what they rest on (a parent plan, or the legal basis of a plan with
 * no parent), their targets, recorded exceptions and quota splits (the quotas' sum against the plan's quantity,
 * the shortfall and the children with none). Targets are put in Vietnamese words here from the typed value
 * (kind, share, quantity, unit of measure): the API's `text` is English.
 * "Tình hình báo cáo": per indicator, the units of its reporting level not reported for the period (one
 * `reportingStatus` request, its first 20 units not reported with their parents; the whole list in its CSV); its
 * failure is said in its own panel. Each cell shows the approved share ("đã duyệt x/y") beside the reported one;
 * "Chỉ số liệu đã duyệt" asks the roll-up and the comparison with approvedOnly (kept in the address as approved=1).
 * The ministry looking at the nation sees the national comparison first. Reported counts are of units ("4/33 xã đã
 * báo cáo"), never unit × indicator pairs; a child's squares are numbered as the indicator list above them, each with
 * a tip naming its indicator. The indicators' usual direction is said once, in the legend; only the others say theirs.
 */
(function () {
  "use strict";

  var TOKEN_KEY = "vnp.token";
  var STATUS_VI = {
    MET: "Đạt", NOT_MET: "Chưa đạt", NO_DATA: "Chưa có số liệu", NO_TARGET: "Chưa có chỉ tiêu",
    INSUFFICIENT_DATA: "Chưa đủ số liệu", NOT_EXPECTED: "Không áp dụng cho cấp này"
  };
  var STATUS_COLOUR = { MET: "#15803d", NOT_MET: "#b91c1c", NO_DATA: "#9ca3af", NO_TARGET: "#93c5fd", INSUFFICIENT_DATA: "#fbbf24", NOT_EXPECTED: "#e5e7eb" };
  var DIRECTION_VI = { HIGHER_IS_BETTER: "càng cao càng tốt", LOWER_IS_BETTER: "càng thấp càng tốt" };
  var INTERVAL_VI = { DAY: "ngày", WEEK: "tuần", MONTH: "tháng", QUARTER: "quý", HALF_YEAR: "6 tháng", YEAR: "năm" };
  var LEVEL_VI = { NATION: "Toàn quốc", PROVINCE: "Cấp tỉnh", DISTRICT: "Cấp huyện", COMMUNE: "Cấp xã" };
  var TWO_TIER_FROM = "2025-07-01"; // Nghị quyết 202/2025/QH15: no districts from this day
  var PLAN_STATUS_VI = { DRAFT: "Dự thảo", ACTIVE: "Đang hiệu lực", CLOSED: "Đã kết thúc", SUPERSEDED: "Đã thay thế" };
  /** What a quantity counts (UnitOfMeasure), in words after a number. */
  var MEASURE_VI = { PEOPLE: "người", CASES: "vụ", INSPECTIONS: "cuộc kiểm tra", BUSINESSES: "cơ sở", ITEMS: "sản phẩm", TIMES: "lần" };
  var OCCASION_VI = { ATTACH: "khi gắn vào kế hoạch cấp trên", ACTIVATE: "khi phê duyệt", SUPERSEDE: "khi chuyển sang kế hoạch cấp trên thay thế" };
  var REFUSAL_VI = {
    LOOSER_THAN_PARENT: "thấp hơn chỉ tiêu cấp trên",
    KIND_MISMATCH: "khác loại, không so sánh được với chỉ tiêu cấp trên",
    LOOSER_THAN_QUOTA: "thấp hơn chỉ tiêu được giao",
  };

  var VALUE_FIELDS = "kind share count frequencyInterval changeLow changeHigh deadline quantity unit text";
  var TARGET_FIELDS = "value { " + VALUE_FIELDS + " }";
  var ROLLUP = [
    "query DashboardRollup($unit: String!, $period: String!, $asOf: Date, $approvedOnly: Boolean!) {",
    "  rollup(unitCode: $unit, period: $period, asOf: $asOf, approvedOnly: $approvedOnly) {",
    "    period",
    "    unit { code name level asOf ancestors { code name } }",
    "    cells {",
    "      indicatorCode indicator { code nameVi direction rollupRule valueKind quantityUnit reportingLevel reportingLevelTwoTier }",
    "      value unitsReported unitsExpected unitsApproved approved completeness status required measured gap judgedPeriods quantityUnit",
    "      target { inherited provenance sourcePlanDocument sourceUnitCode " + TARGET_FIELDS + " }",
    "    }",
    "    children {",
    "      unit { code name level }",
    "      reportingUnits { level expected reported }",
    "      cells { indicatorCode value status completeness unitsReported unitsExpected measured required gap target { value { kind quantity unit } } }",
    "    }",
    "  }",
    "}",
  ].join("\n");
  var COMPARISON = [
    "query DashboardComparison($period: String!, $asOf: Date, $approvedOnly: Boolean!) {",
    "  nationalComparison(period: $period, asOf: $asOf, approvedOnly: $approvedOnly) {",
    "    period",
    "    indicators { code nameVi direction rollupRule reportingLevel reportingLevelTwoTier }",
    "    nation { cells { indicatorCode required target { " + TARGET_FIELDS + " } } }",
    "    provinces {",
    "      unit { code name }",
    "      cells { indicatorCode value measured required rank status completeness unitsReported unitsExpected target { " + TARGET_FIELDS + " } }",
    "    }",
    "  }",
    "}",
  ].join("\n");
  /**
   * The trend: every chosen year on ONE tree, for ONE indicator: nationalTrend answers a line per province with
   * one point a year (two nested lists: provinces × points, well within the API's cost limit).
   */
  var TREND = [
    "query DashboardTrend($periods: [String!]!, $indicator: String!, $asOf: Date) {",
    "  nationalTrend(periods: $periods, indicator: $indicator, asOf: $asOf) {",
    "    periods",
    "    provinces { unit { code name } points { value status } }",
    "  }",
    "}",
  ].join("\n");
  /**
   * Who has (not) reported each indicator for the period in the unit's subtree: the counts, and the first units not
   * reported with their parents (one request; the whole list is in the CSV).
   */
  var REPORTING = [
    "query DashboardReporting($u: String!, $p: String!, $d: Date) {",
    "  reportingStatus(unitCode: $u, period: $p, asOf: $d, first: 20) {",
    "    indicators {",
    "      indicatorCode indicator { nameVi } reportingLevel deadline unitsExpected unitsReported unitsNotReported unitsLate unitsMissing",
    "      notReported { totalCount nodes { unit { code name } parent { name } status } }",
    "    }",
    "  }",
    "}",
  ].join("\n");
  /** The units that report an indicator, in a word after a number ("Chưa báo cáo: 12 xã"). */
  var LEVEL_WORD = { PROVINCE: "tỉnh", DISTRICT: "huyện", COMMUNE: "xã" };
  var REPORTING_STATE_VI = { MISSING: "quá hạn, chưa báo cáo", PENDING: "chưa báo cáo, chưa đến hạn", LATE: "nộp muộn", REPORTED: "đã báo cáo" };
  /** Periods one nationalTrend request takes at most. */
  var MAX_TREND_YEARS = 12;
  var SEARCH = "query DashboardSearch($text: String!, $asOf: Date) { searchOrgUnits(text: $text, asOf: $asOf, first: 10) { nodes { code name } } }";
  var PERIODS = "query DashboardPeriods { periods { code end hasReports } }";
  var PLANS = [
    "query DashboardPlans($unit: String!, $period: String!, $asOf: Date) {",
    "  plans(unitCode: $unit, period: $period, asOf: $asOf) {",
    "    id documentNumber title status parentless legalBasis issuedOn periodStart periodEnd statusChangedAt",
    "    unit { code name level } parentPlan { documentNumber title unit { name } } supersededBy { documentNumber title }",
    "  }",
    "}",
  ].join("\n");
  // one plan at a time: plans → quotaSplits → quotas in one query is over the API's cost limit
  var PLAN_DETAIL = [
    "query DashboardPlan($id: ID!) {",
    "  plan(id: $id) {",
    "    id",
    "    effectiveTargets { indicatorCode provenance sourcePlanDocument sourceUnitCode sourceUnit { name } " + TARGET_FIELDS + " }",
    "    exceptions { id indicatorCode occasion refusal reason recordedBy recordedAt sourcePlanDocument",
    "      value { " + VALUE_FIELDS + " } parentValue { " + VALUE_FIELDS + " } }",
    "    planningFigures { indicatorCode denominator unit }",
    "    quotaSplits {",
    "      indicatorCode unit sum required shortfall excess meets named children withoutQuotaCount",
    "      target { " + TARGET_FIELDS + " }",
    "      quotas { unitCode unitName quantity }",
    "      unitsWithoutQuota { unitCode unitName }",
    "    }",
    "  }",
    "}",
  ].join("\n");

  var el = function (id) { return document.getElementById(id); };
  var charts = [];
  /** trendIndicator / trendYears: chosen by the user (or the address), else the defaults of loadTrend. */
  var state = { unit: "", period: "", asOf: "", approvedOnly: false, trendIndicator: "", trendYears: null };
  /** The trend's charts, the request its view shows (to skip asking again for the same) and the latest request's number. */
  var trend = { charts: [], key: null, seq: 0 };
  /** The periods offered to the current token (from the API), and the token they were read for. */
  var periods = { token: null, list: [] };

  // ---------- helpers ----------
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      // through the CSSOM: the Content-Security-Policy refuses style="…" attributes
      else if (k === "style") Object.assign(node.style, attrs[k]);
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c != null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function num(x, digits) {
    if (x === null || x === undefined) return "—";
    return Number(x).toLocaleString("vi-VN", { maximumFractionDigits: digits === undefined ? 1 : digits });
  }
  function isPercent(indicator) {
    return indicator && indicator.rollupRule !== "SUM";
  }
  function formatValue(value, indicator) {
    if (value === null || value === undefined) return "—";
    if (indicator && indicator.rollupRule === "YEARLY_CHANGE") return (value > 0 ? "+" : "") + num(value) + "%/năm";
    return isPercent(indicator) ? num(value) + "%" : num(value);
  }
  function dateVi(iso) {
    var p = (iso || "").slice(0, 10).split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : iso;
  }
  /** A moment (DateTimeISO) as dd/mm/yyyy hh:mm, Việt Nam time. */
  function momentVi(iso) {
    if (!iso) return "—";
    try {
      var parts = {};
      new Intl.DateTimeFormat("vi-VN", {
        timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false,
      }).formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
      return parts.day + "/" + parts.month + "/" + parts.year + " " + parts.hour + ":" + parts.minute;
    } catch (e) {
      return iso;
    }
  }
  function lcFirst(text) {
    return text.charAt(0).toLowerCase() + text.slice(1);
  }
  /** A number of things: "60.000 người", "2.937 cơ sở", "70%". */
  function amountVi(n, measure) {
    if (n === null || n === undefined) return "—";
    if (measure === "PERCENT") return num(n) + "%";
    return num(n, 0) + (MEASURE_VI[measure] ? " " + MEASURE_VI[measure] : "");
  }
  function isQuantity(v) {
    return !!v && (v.kind === "QUANTITY_FLOOR" || v.kind === "QUANTITY_CEILING");
  }
  /** The target in Vietnamese words, from its typed value (the API's `text` is English). */
  function targetVi(v) {
    if (!v) return "—";
    switch (v.kind) {
      case "SHARE_FLOOR": return "ít nhất " + num(v.share) + "%";
      case "SHARE_CEILING": return "tối đa " + num(v.share) + "%";
      case "COUNT_FLOOR": return "ít nhất " + num(v.count, 0) + " đơn vị";
      case "COUNT_CEILING": return "tối đa " + num(v.count, 0) + " đơn vị";
      case "FREQUENCY": return "ít nhất 1 lần/" + (INTERVAL_VI[v.frequencyInterval] || v.frequencyInterval);
      case "CHANGE_RANGE":
        if (v.changeLow < 0 && v.changeHigh <= 0) return "giảm " + num(-v.changeHigh) + "–" + num(-v.changeLow) + "%/năm";
        return "tăng " + num(v.changeLow) + "–" + num(v.changeHigh) + "%/năm";
      case "CUMULATIVE_DEADLINE": return "đạt ít nhất " + num(v.share) + "% đến ngày " + dateVi(v.deadline);
      case "QUANTITY_FLOOR": return "ít nhất " + amountVi(v.quantity, v.unit);
      case "QUANTITY_CEILING": return "tối đa " + amountVi(v.quantity, v.unit);
      default: return v.text;
    }
  }
  /**
   * How far a quantity is from its target, in words. `gap` as the API gives it: > 0 short of the target
   * (a floor) or over it (a ceiling) by this much; ≤ 0 met.
   */
  function gapVi(kind, gap, measure) {
    if (gap === null || gap === undefined) return "chưa có số liệu để so sánh";
    if (kind === "QUANTITY_CEILING") {
      return gap > 0 ? "vượt mức tối đa " + amountVi(gap, measure) : "trong mức tối đa (còn " + amountVi(-gap, measure) + ")";
    }
    if (gap > 0) return "còn thiếu " + amountVi(gap, measure);
    return gap < 0 ? "đã đạt, vượt " + amountVi(-gap, measure) : "đã đạt đủ";
  }
  /** Where a unit's effective target comes from, in words. */
  function sourceVi(t, unitNames) {
    if (!t) return "—";
    var who = unitNames[t.sourceUnitCode] || "đơn vị " + t.sourceUnitCode;
    var doc = t.sourcePlanDocument ? " (" + t.sourcePlanDocument + ")" : "";
    if (t.provenance === "QUOTA") return "Chỉ tiêu được giao theo kế hoạch của " + who + doc;
    return (t.inherited ? "Kế thừa từ kế hoạch của " : "Kế hoạch của ") + who + doc;
  }
  function statusBadge(status) {
    return h("span", { className: "status " + status, "data-status": status, text: STATUS_VI[status] || status });
  }
  /** "Chưa đủ số liệu" is in the legends only while something on the page has that status. */
  function showInsufficientLegend() {
    var any = !!document.querySelector('main [data-status="INSUFFICIENT_DATA"]');
    document.querySelectorAll(".legend .status.INSUFFICIENT_DATA").forEach(function (n) { n.hidden = !any; });
  }
  /** The units that report an indicator on the tree of `asOf` (the two-tier tree from 1/7/2025), in a word. */
  function unitsWord(indicator, asOf) {
    if (!indicator) return "đơn vị";
    var level = asOf >= TWO_TIER_FROM ? indicator.reportingLevelTwoTier : indicator.reportingLevel;
    return LEVEL_WORD[level] || "đơn vị";
  }
  /**
   * "12/33 xã đã báo cáo": units (of `word`) that reported out of those expected, with a bar of the share
   * (from the counts themselves, whatever scale the API's completeness is on).
   */
  function completeness(cell, word) {
    if (!cell.unitsExpected) return h("span", { className: "muted", text: "—" });
    var share = Math.max(0, Math.min(1, cell.unitsReported / cell.unitsExpected));
    return h("span", { className: "reported", "data-reported": String(cell.unitsReported), "data-expected": String(cell.unitsExpected) }, [
      h("span", { className: "bar", title: num(share * 100, 0) + "%" }, [h("i", { style: { width: Math.round(share * 100) + "%" } })]),
      num(cell.unitsReported, 0) + "/" + num(cell.unitsExpected, 0) + " " + (word || "đơn vị") + " đã báo cáo",
    ]);
  }
  function shortName(name) {
    return name.replace(/^Thành phố /, "TP ").replace(/^Tỉnh /, "");
  }
  function periodLabel(p) {
    var m = /^(\d{4})(?:-(Q[1-4]|H[12]))?$/.exec(p);
    if (!m) return p;
    if (!m[2]) return "Năm " + m[1];
    if (m[2] === "H1") return "6 tháng đầu năm " + m[1];
    if (m[2] === "H2") return "6 tháng cuối năm " + m[1];
    return "Quý " + ["I", "II", "III", "IV"][Number(m[2][1]) - 1] + "/" + m[1];
  }
  function setMessage(text, isError) {
    el("message").textContent = text || "";
    el("message").className = isError ? "error" : "";
  }
  function token() {
    return el("token").value.trim().replace(/^Bearer\s+/i, "");
  }
  /** The unit claim of the token (only to choose where to start; the API enforces scope). */
  function tokenUnit(t) {
    try {
      var payload = JSON.parse(decodeURIComponent(escape(atob(t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")))));
      return typeof payload.unit === "string" ? payload.unit : "";
    } catch (e) {
      return "";
    }
  }

  var ERROR_VI = {
    UNAUTHENTICATED: "Token không hợp lệ hoặc đã hết hạn.",
    FORBIDDEN: "Bạn không có quyền xem nội dung này.",
    NOT_FOUND: "Không tìm thấy đơn vị trong phạm vi của bạn vào ngày của cây đơn vị đã chọn.",
    BAD_USER_INPUT: "Dữ liệu nhập không hợp lệ.",
    SERVICE_UNAVAILABLE: "Cơ sở dữ liệu tạm thời không sẵn sàng; thử lại sau.",
    TIMEOUT: "Truy vấn quá lâu và đã bị huỷ.",
  };
  function gql(query, variables) {
    return fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer " + token() },
      body: JSON.stringify({ query: query, variables: variables }),
    })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (body.errors && body.errors.length) {
          var e = body.errors[0];
          var code = e.extensions && e.extensions.code;
          var error = new Error((ERROR_VI[code] || "Lỗi") + " (" + (code || "?") + ": " + e.message + ")");
          error.code = code;
          throw error;
        }
        return body.data;
      });
  }

  // ---------- unit view ----------
  function renderBreadcrumb(unit) {
    var nav = el("breadcrumb");
    nav.textContent = "";
    unit.ancestors.concat([{ code: unit.code, name: unit.name }]).forEach(function (u, i, all) {
      if (i > 0) nav.appendChild(document.createTextNode(" › "));
      if (i === all.length - 1) nav.appendChild(h("strong", { text: u.name }));
      else nav.appendChild(h("a", { className: "drill", "data-unit": u.code, text: u.name, onclick: function () { go(u.code); } }));
    });
  }

  function renderCells(rollup) {
    var body = el("cells").querySelector("tbody");
    body.textContent = "";
    // a target comes from the unit's own plan or an ancestor's: name that unit
    var unitNames = {};
    rollup.unit.ancestors.concat([rollup.unit]).forEach(function (u) { unitNames[u.code] = u.name; });
    var indicators = rollup.cells.map(function (c) { return c.indicator; });
    var usual = usualDirection(indicators);
    el("direction-note").textContent = directionNote(indicators, usual);
    rollup.cells.forEach(function (c) {
      var t = c.target;
      var quantity = t && isQuantity(t.value);
      body.appendChild(
        h("tr", { "data-indicator": c.indicatorCode, "data-status": c.status, "data-quantity": quantity ? "true" : null }, [
          h("td", { title: c.indicator.nameVi + ": kết quả " + (DIRECTION_VI[c.indicator.direction] || "") }, [
            c.indicator.nameVi,
            // only an indicator against the usual direction says its own (the legend says the usual one, once)
            c.indicator.direction !== usual ? h("span", { className: "direction-tag", text: DIRECTION_VI[c.indicator.direction] || c.indicator.direction }) : null,
            h("div", { className: "muted", text: c.indicatorCode }),
          ]),
          quantity ? quantityResult(c) : h("td", { className: "num", text: formatValue(c.value, c.indicator) }),
          quantity ? quantityTarget(c) : h("td", { text: t ? targetVi(t.value) : "—" }),
          h("td", { className: "muted", text: sourceVi(t, unitNames) }),
          h("td", {}, [statusBadge(c.status)]),
          h("td", {}, [completeness(c, unitsWord(c.indicator, rollup.unit.asOf)), approvedShare(c)]),
        ]),
      );
    });
  }
  /** The direction most indicators have: said once, in the legend; the others say theirs on their row. */
  function usualDirection(indicators) {
    var lower = indicators.filter(function (i) { return i && i.direction === "LOWER_IS_BETTER"; }).length;
    return lower * 2 > indicators.length ? "LOWER_IS_BETTER" : "HIGHER_IS_BETTER";
  }
  function directionNote(indicators, usual) {
    var other = usual === "HIGHER_IS_BETTER" ? "LOWER_IS_BETTER" : "HIGHER_IS_BETTER";
    var exceptions = indicators.filter(function (i) { return i && i.direction === other; }).length;
    return exceptions
      ? "Kết quả " + DIRECTION_VI[usual] + ", trừ " + exceptions + " chỉ số ghi \u201c" + DIRECTION_VI[other] + "\u201d."
      : "Mọi chỉ số: kết quả " + DIRECTION_VI[usual] + ".";
  }
  /** Beside "x/y đơn vị báo cáo": how many of the units expected have their period approved. */
  function approvedShare(c) {
    if (!c.unitsExpected) return null;
    return h("div", {
      className: "approved-share", "data-approved": String(c.unitsApproved),
      title: "Đơn vị đã được cấp trên duyệt số liệu của kỳ: " + num((c.approved || 0) * 100, 0) + "%",
      text: "đã duyệt " + num(c.unitsApproved, 0) + "/" + num(c.unitsExpected, 0),
    });
  }

  /** What the quantity measures (the target's unit, else the indicator's quantity unit). */
  function measureOf(cell) {
    return (cell.target && cell.target.value.unit) || cell.quantityUnit || (cell.indicator && cell.indicator.quantityUnit) || null;
  }
  /** A quantity target's cell: the sum so far over the periods it is judged on (the plan's year so far). */
  function quantityResult(c) {
    var periods = (c.judgedPeriods || []).map(function (p) { return lcFirst(periodLabel(p)); }).join(", ");
    return h("td", { className: "num quantity-measured", "data-measured": c.measured == null ? "" : String(c.measured) }, [
      c.measured == null ? "chưa có số liệu" : amountVi(c.measured, measureOf(c)),
      h("div", { className: "muted", text: (c.measured == null ? "" : "đã thực hiện, ") + "cộng dồn " + (periods || periodLabel(state.period)) }),
      c.value != null && isPercent(c.indicator) ? h("div", { className: "muted", text: "tỷ lệ " + formatValue(c.value, c.indicator) }) : null,
    ]);
  }
  /** A quantity target's cell: the target (or the unit's quota) in words, and how far the sum so far is from it. */
  function quantityTarget(c) {
    var t = c.target;
    return h("td", { className: "quantity-target", "data-required": c.required == null ? "" : String(c.required) }, [
      targetVi(t.value),
      t.provenance === "QUOTA" ? h("div", { className: "muted", text: "chỉ tiêu được giao cho đơn vị" }) : null,
      h("div", { className: "gap " + c.status, "data-gap": c.gap == null ? "" : String(c.gap), text: gapVi(t.value.kind, c.gap, measureOf(c)) }),
    ]);
  }

  /**
   * How many of a child's units reported: counted in units, not unit × indicator pairs (the API's reportingUnits:
   * the units of the lowest level its indicators report at, its communes or itself, with a report for any of them).
   */
  function unitsReportedOf(child) {
    var r = child.reportingUnits;
    return r ? { unitsReported: r.reported, unitsExpected: r.expected, level: r.level } : { unitsReported: 0, unitsExpected: 0, level: null };
  }
  /** A child's own report (it is the one unit expected): reported or not. */
  function childReported(units) {
    if (units.unitsExpected !== 1) return completeness(units, LEVEL_WORD[units.level] || "đơn vị");
    return h("span", { className: "reported", "data-reported": String(units.unitsReported), "data-expected": "1" },
      [units.unitsReported ? "Đã báo cáo" : "Chưa báo cáo"]);
  }
  /** The numbered list of the indicators, in the order of the squares. */
  function renderIndicatorKey(cells) {
    var list = el("indicator-key-list");
    list.textContent = "";
    cells.forEach(function (c, i) {
      list.appendChild(h("li", { "data-indicator": c.indicatorCode, value: String(i + 1) }, [
        h("span", { className: "key-no", text: String(i + 1) }),
        c.indicator.nameVi,
      ]));
    });
  }

  function renderChildren(rollup) {
    var names = {};
    var order = {};
    rollup.cells.forEach(function (c, i) { names[c.indicatorCode] = c.indicator; order[c.indicatorCode] = i + 1; });
    renderIndicatorKey(rollup.cells);
    var body = el("children").querySelector("tbody");
    body.textContent = "";
    rollup.children.forEach(function (child) {
      var count = { MET: 0, NOT_MET: 0, NO_DATA: 0 };
      child.cells.forEach(function (c) {
        var status = c.status === "INSUFFICIENT_DATA" ? "NO_DATA" : c.status;
        if (count[status] !== undefined) count[status]++;
      });
      var units = unitsReportedOf(child);
      var strip = h("span", { className: "strip" }, child.cells.map(function (c) {
        var ind = names[c.indicatorCode];
        var shown = formatValue(c.value, ind);
        if (c.target && isQuantity(c.target.value)) {
          // a quantity (or quota): the sum so far against it, and the gap
          var measure = c.target.value.unit || (ind && ind.quantityUnit);
          shown = (c.measured == null ? "chưa có số liệu" : amountVi(c.measured, measure)) + " / " + targetVi(c.target.value) +
            " (" + gapVi(c.target.value.kind, c.gap, measure) + ")";
        }
        var no = order[c.indicatorCode] || "";
        var tip = no + ". " + (ind ? ind.nameVi : c.indicatorCode) + ": " + (shown === "—" ? "" : shown + " — ") + (STATUS_VI[c.status] || c.status) +
          (c.unitsExpected ? " (" + num(c.unitsReported, 0) + "/" + num(c.unitsExpected, 0) + " " + unitsWord(ind, rollup.unit.asOf) + " đã báo cáo)" : "");
        // the number ties the square to the list above; its tip (CSS, on hover or keyboard focus) names it
        return h("span", {
          className: "sq " + c.status, "data-indicator": c.indicatorCode, "data-status": c.status, tabindex: "0", role: "img",
          "aria-label": tip, "data-tip": tip, text: String(no),
        });
      }));
      body.appendChild(
        h("tr", { "data-unit": child.unit.code, "data-level": child.unit.level }, [
          h("td", {}, [
            h("a", { className: "drill", "data-unit": child.unit.code, text: child.unit.name, onclick: function () { go(child.unit.code); } }),
            h("div", { className: "muted", text: (LEVEL_VI[child.unit.level] || child.unit.level) + " · " + child.unit.code }),
          ]),
          h("td", { className: "num", text: String(count.MET) }),
          h("td", { className: "num", text: String(count.NOT_MET) }),
          h("td", { className: "num", text: String(count.NO_DATA) }),
          h("td", { className: "child-reported" }, [childReported(units)]),
          h("td", {}, [strip]),
        ]),
      );
    });
    el("children-section").hidden = rollup.children.length === 0;
  }

  // ---------- plans of the unit ----------
  /** What a plan's child units are called, by its unit's level and the tree of its dates. */
  function childrenWord(plan) {
    switch (plan.unit.level) {
      case "NATION": return "tỉnh, thành phố";
      case "PROVINCE": return plan.periodStart >= TWO_TIER_FROM ? "phường, xã" : "đơn vị cấp huyện";
      case "DISTRICT": return "xã, phường, thị trấn";
      default: return "đơn vị cấp dưới";
    }
  }
  function planName(p) {
    return p.documentNumber || "(chưa có số hiệu)";
  }
  function planStatusBadge(status) {
    return h("span", { className: "plan-status " + status, "data-status": status, text: PLAN_STATUS_VI[status] || status });
  }
  function indicatorName(indicators, code) {
    return indicators[code] ? indicators[code].nameVi : code;
  }
  /** A small table: headings, then rows of cells (strings or nodes), each row with its attributes. */
  function table(className, headings, rows) {
    return h("table", { className: className }, [
      h("thead", {}, [h("tr", {}, headings.map(function (t) { return h("th", { text: t }); }))]),
      h("tbody", {}, rows.map(function (r) {
        return h("tr", r.attrs, r.cells.map(function (c) {
          return c && c.nodeType ? (c.tagName === "TD" ? c : h("td", {}, [c])) : h("td", { text: c == null ? "—" : String(c) });
        }));
      })),
    ]);
  }

  function renderPlanTargets(detail, indicators) {
    if (!detail.effectiveTargets.length) return h("p", { className: "muted", text: "Kế hoạch chưa có chỉ tiêu." });
    return table("plan-targets", ["Chỉ số", "Chỉ tiêu", "Nguồn"], detail.effectiveTargets.map(function (t) {
      var from = (t.sourcePlanDocument || "kế hoạch cấp trên") + " của " + (t.sourceUnit ? t.sourceUnit.name : "đơn vị " + t.sourceUnitCode);
      var source = t.provenance === "OWN" ? "Chỉ tiêu riêng của kế hoạch"
        : t.provenance === "QUOTA" ? "Chỉ tiêu được giao theo " + from
        : "Kế thừa từ " + from;
      return {
        attrs: { "data-indicator": t.indicatorCode, "data-kind": t.value.kind },
        cells: [indicatorName(indicators, t.indicatorCode), h("td", { className: "target-words", text: targetVi(t.value) }), h("td", { className: "muted", text: source })],
      };
    }));
  }

  function renderExceptions(detail, indicators) {
    return h("div", { className: "plan-exceptions" }, [
      h("h4", { text: "Ngoại lệ đã ghi nhận: chỉ tiêu thấp hơn cấp trên được chấp nhận" }),
      table("exceptions", ["Chỉ số", "Chỉ tiêu của kế hoạch", "Chỉ tiêu cấp trên", "Lý do chấp nhận", "Người ghi nhận", "Thời điểm"],
        detail.exceptions.map(function (e) {
          return {
            attrs: { "data-indicator": e.indicatorCode, "data-exception": e.id },
            cells: [
              h("td", {}, [indicatorName(indicators, e.indicatorCode), h("div", { className: "muted", text: (REFUSAL_VI[e.refusal] || e.refusal) + ", " + (OCCASION_VI[e.occasion] || e.occasion) })]),
              targetVi(e.value),
              h("td", {}, [targetVi(e.parentValue), e.sourcePlanDocument ? h("div", { className: "muted", text: "theo " + e.sourcePlanDocument }) : null]),
              h("td", { className: "reason", text: e.reason }),
              h("td", { className: "recorded-by", text: e.recordedBy }),
              h("td", { className: "recorded-at", text: momentVi(e.recordedAt) }),
            ],
          };
        })),
    ]);
  }

  /**
   * One quota split: the quotas per child unit (with each child's sum so far from the roll-up when it is judged on
   * a quantity), their sum against the plan's quantity, the shortfall (or excess) and the children with none.
   */
  function renderQuotaSplit(plan, split, indicators, childCells) {
    var kind = split.target ? split.target.value.kind : null;
    var measure = split.unit;
    var word = childrenWord(plan);
    var without = split.withoutQuotaCount ? "; " + num(split.withoutQuotaCount, 0) + " " + word + " chưa được giao" : "";
    var verdict;
    if (split.meets === null) verdict = { ok: false, text: "Kế hoạch không có chỉ tiêu số lượng cho chỉ số này" + without };
    else if (kind === "QUANTITY_CEILING") {
      verdict = split.meets
        ? { ok: true, text: "Tổng chỉ tiêu giao không vượt mức tối đa" + without }
        : { ok: false, text: "Vượt " + num(split.excess, 0) + " so với mức tối đa" + without };
    } else {
      verdict = split.meets
        ? { ok: true, text: "Đã giao đủ" + without }
        : { ok: false, text: "Thiếu " + num(split.shortfall, 0) + without };
    }
    var rows = split.quotas.map(function (q) {
      var cell = childCells[q.unitCode] && childCells[q.unitCode][split.indicatorCode];
      var judged = cell && cell.target && isQuantity(cell.target.value);
      var measured = judged ? cell.measured : null;
      var gap = measured == null ? null : kind === "QUANTITY_CEILING" ? measured - q.quantity : q.quantity - measured;
      return {
        attrs: { "data-unit": q.unitCode },
        cells: [
          h("td", {}, [q.unitName, h("div", { className: "muted", text: q.unitCode })]),
          h("td", { className: "num", text: amountVi(q.quantity, measure) }),
          h("td", { className: "num", text: !judged ? "—" : measured == null ? "chưa có số liệu" : amountVi(measured, measure) }),
          h("td", { text: judged && measured != null ? gapVi(kind, gap, measure) : "—" }),
        ],
      };
    });
    var quotas = table("quotas", ["Đơn vị được giao", "Chỉ tiêu được giao", "Đã thực hiện", "So với chỉ tiêu được giao"], rows);
    quotas.appendChild(h("tfoot", {}, [h("tr", {}, [
      h("th", { text: "Tổng " + num(split.named, 0) + " đơn vị được giao" }),
      h("th", { className: "num", text: amountVi(split.sum, measure) }),
      h("th", { colspan: "2", text: split.required == null ? "" : "so với " + (split.target ? targetVi(split.target.value) : amountVi(split.required, measure)) + " của kế hoạch" }),
    ])]));
    var hidden = split.named - split.quotas.length;
    return h("div", { className: "quota-split", "data-indicator": split.indicatorCode, "data-meets": String(split.meets) }, [
      h("h4", { text: "Phân bổ chỉ tiêu cho " + word + ": " + indicatorName(indicators, split.indicatorCode) }),
      h("p", { className: "quota-sum" }, [
        "Tổng các chỉ tiêu đã giao: ",
        h("strong", { text: amountVi(split.sum, measure) }),
        split.required == null ? "" : " / chỉ tiêu của kế hoạch " + (split.target ? targetVi(split.target.value) : amountVi(split.required, measure)),
        " (" + num(split.named, 0) + "/" + num(split.children, 0) + " " + word + " được giao)",
      ]),
      h("p", { className: "quota-verdict " + (verdict.ok ? "ok" : "short"), text: verdict.text }),
      quotas,
      hidden > 0 ? h("p", { className: "muted", text: num(hidden, 0) + " đơn vị được giao nằm ngoài phạm vi của bạn (có trong tổng)." }) : null,
      split.withoutQuotaCount
        ? h("details", { className: "without-quota" }, [
            h("summary", { text: num(split.withoutQuotaCount, 0) + " " + word + " chưa được giao chỉ tiêu" }),
            h("p", { text: split.unitsWithoutQuota.map(function (u) { return u.unitName; }).join(", ") +
              (split.unitsWithoutQuota.length < split.withoutQuotaCount ? " (và các đơn vị ngoài phạm vi của bạn)" : "") }),
          ])
        : null,
    ]);
  }

  function renderPlan(plan, detail, indicators, childCells) {
    var basis;
    if (plan.parentless) {
      basis = h("p", { className: "plan-basis parentless", text: "Không có kế hoạch cấp trên: căn cứ " + (plan.legalBasis || "(chưa ghi căn cứ)") });
    } else if (plan.parentPlan) {
      basis = h("p", { className: "plan-basis", text: "Thực hiện kế hoạch " + planName(plan.parentPlan) + " của " + plan.parentPlan.unit.name });
    }
    var dates = "Thời gian: " + dateVi(plan.periodStart) + " – " + dateVi(plan.periodEnd) +
      (plan.issuedOn ? " · ban hành ngày " + dateVi(plan.issuedOn) : "") +
      (plan.statusChangedAt ? " · trạng thái từ " + momentVi(plan.statusChangedAt) : "");
    return h("article", { className: "plan", "data-plan": plan.id, "data-document": plan.documentNumber || "", "data-status": plan.status }, [
      h("h3", {}, [planName(plan) + " — " + plan.title + " ", planStatusBadge(plan.status)]),
      h("p", { className: "muted", text: dates }),
      basis,
      plan.supersededBy ? h("p", { className: "plan-basis", text: "Đã được thay thế bởi kế hoạch " + planName(plan.supersededBy) + " — " + plan.supersededBy.title }) : null,
      renderPlanTargets(detail, indicators),
      detail.planningFigures.length
        ? h("p", { className: "planning-figures" }, ["Số liệu dùng để lập kế hoạch (mẫu số): " + detail.planningFigures.map(function (f) {
            return indicatorName(indicators, f.indicatorCode) + ": " + amountVi(f.denominator, f.unit);
          }).join("; ")])
        : null,
      detail.exceptions.length ? renderExceptions(detail, indicators) : null,
    ].concat(detail.quotaSplits.map(function (split) { return renderQuotaSplit(plan, split, indicators, childCells); })));
  }

  function renderPlans(rollup, plans, details) {
    var indicators = {};
    rollup.cells.forEach(function (c) { indicators[c.indicatorCode] = c.indicator; });
    var childCells = {};
    rollup.children.forEach(function (child) {
      var cells = {};
      child.cells.forEach(function (c) { cells[c.indicatorCode] = c; });
      childCells[child.unit.code] = cells;
    });
    var holder = el("plans");
    holder.textContent = "";
    el("plans-title").textContent = "Kế hoạch của " + rollup.unit.name + " — " + periodLabel(rollup.period);
    el("plans-section").hidden = false;
    if (!plans) {
      holder.appendChild(h("p", { className: "error-text", text: "Không tải được kế hoạch: " + (details && details.message) }));
      return;
    }
    if (!plans.length) {
      holder.appendChild(h("p", { className: "muted no-plans", text: "Đơn vị không có kế hoạch riêng trong kỳ này; chỉ tiêu (nếu có) kế thừa hoặc được giao từ kế hoạch cấp trên — xem cột \u201cNguồn chỉ tiêu\u201d." }));
    }
    plans.forEach(function (plan, i) { holder.appendChild(renderPlan(plan, details[i], indicators, childCells)); });
  }

  /** The unit's plans covering the period, each with its targets, exceptions and quota splits. */
  function loadPlans() {
    return gql(PLANS, { unit: state.unit, period: state.period, asOf: state.asOf || periodEnd(state.period) || null }).then(function (data) {
      return Promise.all(data.plans.map(function (p) { return gql(PLAN_DETAIL, { id: p.id }); })).then(function (details) {
        return { plans: data.plans, details: details.map(function (d) { return d.plan; }) };
      });
    });
  }

  /** Which tree a view is on: the date, whether it was chosen or is the period's last day, and its tiers. */
  function treeNote(date) {
    return "Cây đơn vị ngày " + dateVi(date) + " (" + (state.asOf ? "ngày đã chọn" : "ngày cuối kỳ báo cáo") + "; " +
      (date >= TWO_TIER_FROM ? "2 cấp: tỉnh › xã" : "3 cấp: tỉnh › huyện › xã") + ")";
  }

  function loadUnit() {
    // the roll-up's error is the page's; a failure of the plans alone is said in their panel
    var plans = loadPlans().catch(function (e) { return { error: e }; });
    var status = loadReporting(); // its own panel: its failure is not the page's
    return Promise.all([gql(ROLLUP, { unit: state.unit, period: state.period, asOf: state.asOf || null, approvedOnly: state.approvedOnly }), plans, status]).then(function (both) {
      var r = both[0].rollup;
      renderBreadcrumb(r.unit);
      el("unit-title").textContent = r.unit.name + " — " + (LEVEL_VI[r.unit.level] || r.unit.level) + " — " + periodLabel(r.period);
      el("tree-note").textContent = treeNote(r.unit.asOf);
      el("tree-note").dataset.asOf = r.unit.asOf;
      renderCells(r);
      renderPlans(r, both[1].plans, both[1].error || both[1].details);
      renderChildren(r);
      el("unit-section").hidden = false;
    });
  }

  // ---------- reporting status ----------
  var reportingSeq = 0;
  function reportingCsvUrl() {
    return "/csv/reporting-status?unit=" + encodeURIComponent(state.unit) + "&period=" + encodeURIComponent(state.period) +
      (state.asOf ? "&asOf=" + encodeURIComponent(state.asOf) : "");
  }
  function renderReportingIndicator(s) {
    var word = LEVEL_WORD[s.reportingLevel] || "đơn vị";
    var line = "Chưa báo cáo: " + num(s.unitsNotReported, 0) + " " + word +
      " · quá hạn " + num(s.unitsMissing, 0) + " · nộp muộn " + num(s.unitsLate, 0) +
      " · " + (s.deadline ? "hạn " + dateVi(s.deadline) : "chưa đặt hạn");
    var page = s.notReported;
    var list = null;
    if (page.totalCount > 0) {
      list = h("details", { className: "not-reported-list" }, [
        h("summary", { text: "Đơn vị chưa báo cáo (" + num(page.totalCount, 0) + ")" +
          (page.totalCount > page.nodes.length ? ": " + page.nodes.length + " đơn vị đầu, đủ danh sách trong CSV" : "") }),
        h("ul", { className: "not-reported" }, page.nodes.map(function (n) {
          return h("li", { "data-unit": n.unit.code, "data-status": n.status }, [
            h("span", {
              className: "rstatus " + n.status, title: REPORTING_STATE_VI[n.status] || n.status,
              text: n.unit.name + (n.parent ? " (" + n.parent.name + ")" : ""),
            }),
          ]);
        })),
      ]);
    }
    return h("div", {
      className: "reporting-indicator", "data-indicator": s.indicatorCode, "data-not-reported": String(s.unitsNotReported),
    }, [
      h("h4", { text: s.indicator.nameVi }),
      h("p", { className: "reporting-line", text: line }),
      h("p", { className: "muted", text: "Đã báo cáo " + num(s.unitsReported, 0) + "/" + num(s.unitsExpected, 0) + " " + word }),
      list,
    ]);
  }
  /**
   * The reporting panel of the unit and period (and date): one reportingStatus request. Never rejects: a failure
   * (e.g. a level that reports nothing) is said in the panel, not as the page's error.
   */
  function loadReporting() {
    var section = el("reporting-section");
    var seq = ++reportingSeq;
    section.hidden = false;
    section.dataset.state = "loading";
    el("csv-reporting").setAttribute("href", reportingCsvUrl());
    el("reporting-message").textContent = "";
    return gql(REPORTING, { u: state.unit, p: state.period, d: state.asOf || null }).then(function (data) {
      if (seq !== reportingSeq) return;
      var holder = el("reporting");
      holder.textContent = "";
      var list = data.reportingStatus.indicators.filter(function (s) { return s.unitsExpected > 0; });
      list.forEach(function (s) { holder.appendChild(renderReportingIndicator(s)); });
      if (!list.length) el("reporting-message").textContent = "Không có đơn vị nào phải báo cáo trong kỳ này.";
      section.dataset.state = "ready";
    }, function (e) {
      if (seq !== reportingSeq) return;
      el("reporting").textContent = "";
      el("reporting-message").textContent = "Không tải được tình hình báo cáo: " + e.message;
      section.dataset.state = "error";
    });
  }

  // ---------- national comparison ----------
  function renderComparison(c) {
    var treeDate = state.asOf || periodEnd(state.period);
    var usual = usualDirection(c.indicators);
    el("comparison-direction").textContent = "(" + directionNote(c.indicators, usual).replace(/\.$/, "") + ")";
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    var holder = el("charts");
    holder.textContent = "";
    var body = el("comparison").querySelector("tbody");
    body.textContent = "";
    var filter = el("table-indicator");
    var chosen = filter.value;
    filter.textContent = "";
    filter.appendChild(h("option", { value: "", text: "Tất cả chỉ số" }));
    c.indicators.forEach(function (i) { filter.appendChild(h("option", { value: i.code, text: i.nameVi })); });
    filter.value = chosen;
    var nationTarget = {};
    c.nation.cells.forEach(function (cell) { nationTarget[cell.indicatorCode] = cell; });

    c.indicators.forEach(function (indicator) {
      var rows = c.provinces
        .map(function (p) {
          return { unit: p.unit, cell: p.cells.filter(function (x) { return x.indicatorCode === indicator.code; })[0] };
        })
        .filter(function (r) { return r.cell; })
        .sort(function (a, b) {
          var ra = a.cell.rank == null ? 1e9 : a.cell.rank;
          var rb = b.cell.rank == null ? 1e9 : b.cell.rank;
          return ra - rb || a.unit.name.localeCompare(b.unit.name, "vi");
        });
      var national = nationTarget[indicator.code];
      var canvas = h("canvas", { "data-indicator": indicator.code, role: "img", "aria-label": indicator.nameVi });
      holder.appendChild(
        h("div", { className: "chart-card" }, [
          h("h4", { text: indicator.nameVi + (national && national.target ? " (chỉ tiêu quốc gia " + targetVi(national.target.value) + ")" : "") }, [
            indicator.direction !== usual ? h("span", { className: "direction-tag", text: DIRECTION_VI[indicator.direction] || indicator.direction }) : null,
          ]),
          h("div", { className: "box" }, [canvas]),
        ]),
      );
      var shown = function (cell) { return cell.measured != null ? cell.measured : cell.value; };
      charts.push(
        new Chart(canvas, {
          data: {
            labels: rows.map(function (r) { return shortName(r.unit.name); }),
            datasets: [
              {
                type: "bar",
                label: "Kết quả",
                data: rows.map(function (r) { return shown(r.cell); }),
                backgroundColor: rows.map(function (r) { return STATUS_COLOUR[r.cell.status]; }),
                order: 2,
              },
              {
                type: "line",
                label: "Chỉ tiêu của tỉnh",
                data: rows.map(function (r) { return r.cell.required; }),
                showLine: false,
                pointStyle: "line",
                pointRadius: 14,
                pointBorderWidth: 3,
                borderColor: "#111827",
                order: 1,
              },
              {
                type: "line",
                label: "Chỉ tiêu quốc gia",
                data: rows.map(function () { return national ? national.required : null; }),
                borderDash: [6, 4],
                borderColor: "#7f1d1d",
                borderWidth: 2,
                pointRadius: 0,
                order: 0,
              },
            ],
          },
          options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            scales: { y: { beginAtZero: true } },
            plugins: { legend: { labels: { boxWidth: 12, font: { size: 11 } } } },
          },
        }),
      );
      rows.forEach(function (r) {
        body.appendChild(
          h("tr", { "data-indicator": indicator.code, "data-unit": r.unit.code, hidden: el("table-indicator").value && el("table-indicator").value !== indicator.code ? "" : null }, [
            h("td", { text: indicator.nameVi }),
            h("td", { className: "num", text: r.cell.rank == null ? "—" : String(r.cell.rank) }),
            h("td", { text: r.unit.name }),
            h("td", { className: "num", text: formatValue(r.cell.value, indicator) }),
            h("td", { text: r.cell.target ? targetVi(r.cell.target.value) : "—" }),
            h("td", {}, [statusBadge(r.cell.status)]),
            h("td", {}, [completeness(r.cell, unitsWord(indicator, treeDate))]),
          ]),
        );
      });
    });
    el("comparison-section").hidden = false;
  }

  /**
   * The ministry's first screen is the national comparison (and the trend): above the unit's own panels while it
   * looks at the nation; below them once it has drilled down to a province or lower.
   */
  function placeComparison(first) {
    var main = document.querySelector("main");
    var before = first ? el("unit-section") : null;
    main.insertBefore(el("comparison-section"), before);
    main.insertBefore(el("trend-section"), before);
    document.body.dataset.comparisonFirst = first ? "true" : "false";
  }
  function loadComparison() {
    if (tokenUnit(token()) !== "VN") {
      el("comparison-section").hidden = true;
      el("trend-section").hidden = true;
      placeComparison(false);
      return Promise.resolve();
    }
    placeComparison(state.unit === "VN");
    return gql(COMPARISON, { period: state.period, asOf: state.asOf || null, approvedOnly: state.approvedOnly }).then(function (data) {
      var c = data.nationalComparison;
      renderComparison(c);
      el("comparison-tree").textContent = c.provinces.length + " tỉnh, thành phố — " + treeNote(state.asOf || periodEnd(state.period));
      return loadTrend(c.indicators);
    });
  }

  // ---------- trend: one indicator, a small chart per province over the years ----------
  /** The years the periods picker offers (oldest first), each with whether any of its periods has reports. */
  function trendYearsOffered() {
    var years = {};
    periods.list.forEach(function (p) {
      var y = p.code.slice(0, 4);
      years[y] = years[y] || p.hasReports;
    });
    return Object.keys(years).sort().map(function (y) { return { year: y, hasReports: years[y] }; });
  }
  /**
   * Whether a year can be shown on the chosen date's tree: a date before the reform of 1/7/2025 cannot show a year
   * that ends after it (the API restates only onto a later tree).
   */
  function trendReachable(year) {
    return !(state.asOf && state.asOf < TWO_TIER_FROM && year + "-12-31" >= TWO_TIER_FROM);
  }
  /** The last three years (that the tree can show) up to the newest with reports, else up to this year. */
  function defaultTrendYears(offered) {
    var years = offered.filter(function (y) { return trendReachable(y.year); });
    var withReports = years.filter(function (y) { return y.hasReports; });
    var thisYear = String(new Date().getFullYear());
    var last = withReports.length ? withReports[withReports.length - 1].year
      : (years.filter(function (y) { return y.year <= thisYear; }).pop() || years[years.length - 1] || { year: "" }).year;
    return years.map(function (y) { return y.year; }).filter(function (y) { return y <= last; }).slice(-3);
  }
  function chosenTrendYears(offered) {
    var codes = offered.map(function (y) { return y.year; });
    if (!state.trendYears) return defaultTrendYears(offered);
    return state.trendYears.filter(function (y) { return codes.indexOf(y) >= 0 && trendReachable(y); }).sort();
  }
  function renderTrendControls(indicators, offered, years) {
    var select = el("trend-indicator");
    select.textContent = "";
    indicators.forEach(function (i) {
      select.appendChild(h("option", { value: i.code, text: i.nameVi, "data-indicator": JSON.stringify({ code: i.code, nameVi: i.nameVi, rollupRule: i.rollupRule }) }));
    });
    select.value = state.trendIndicator;
    var box = el("trend-years");
    box.querySelectorAll("label").forEach(function (l) { l.remove(); });
    offered.forEach(function (y) {
      var reachable = trendReachable(y.year);
      box.appendChild(h("label", {
        className: y.hasReports ? "has-reports" : null,
        title: !reachable ? "Năm này kết thúc sau ngày 01/07/2025: không hiển thị được theo cây đơn vị trước cải cách"
          : y.hasReports ? "Có số liệu" : "Chưa có số liệu",
      }, [
        h("input", { type: "checkbox", value: y.year, checked: years.indexOf(y.year) >= 0 ? "" : null, disabled: reachable ? null : "" }),
        y.year,
      ]));
    });
  }
  /** The values shown under a small chart: each year's result, coloured by its status. */
  function trendValues(years, cells, indicator) {
    return h("p", { className: "values" }, years.map(function (y, i) {
      var cell = cells[i];
      return h("span", { className: "gap " + (cell ? cell.status : "NO_DATA"), "data-period": y, "data-status": cell ? cell.status : "", title: cell ? STATUS_VI[cell.status] : "" },
        [y + ": " + formatValue(cell ? cell.value : null, indicator)]);
    }));
  }
  function renderTrend(comparisons, indicator, asOf, years) {
    trend.charts.forEach(function (chart) { chart.destroy(); });
    trend.charts = [];
    var holder = el("trend-charts");
    holder.textContent = "";
    // each year's cell of each province (one indicator asked: one cell a province), the provinces of the one tree
    var byPeriod = comparisons.map(function (c) {
      var cells = {};
      c.provinces.forEach(function (p) { cells[p.unit.code] = p.cells[0] || null; });
      return cells;
    });
    var provinces = comparisons.length ? comparisons[comparisons.length - 1].provinces.map(function (p) { return p.unit; }) : [];
    var labels = comparisons.map(function (c) { return c.period; });
    // one scale for all the small charts (from 0 to the largest result of any province and year), so that they compare
    var all = [];
    byPeriod.forEach(function (cells) { Object.keys(cells).forEach(function (k) { if (cells[k] && cells[k].value != null) all.push(cells[k].value); }); });
    var low = Math.min.apply(null, [0].concat(all));
    var high = Math.max.apply(null, [0].concat(all));
    if (high === low) high = low + 1;
    provinces.forEach(function (unit) {
      var cells = byPeriod.map(function (p) { return p[unit.code] || null; });
      var canvas = h("canvas", { "data-unit": unit.code, role: "img", "aria-label": unit.name + ": " + indicator.nameVi + ", " + labels.join(", ") });
      holder.appendChild(h("div", { className: "trend-card", "data-unit": unit.code }, [
        h("h4", { text: shortName(unit.name), title: unit.name }),
        h("div", { className: "box" }, [canvas]),
        trendValues(labels, cells, indicator),
      ]));
      trend.charts.push(new Chart(canvas, {
        type: "bar",
        data: {
          labels: labels,
          datasets: [{
            label: indicator.nameVi,
            data: cells.map(function (c) { return c ? c.value : null; }),
            backgroundColor: cells.map(function (c) { return STATUS_COLOUR[c ? c.status : "NO_DATA"]; }),
            statuses: cells.map(function (c) { return c ? c.status : null; }),
          }],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: {
            y: {
              suggestedMin: low,
              suggestedMax: high,
              ticks: { font: { size: 10 }, maxTicksLimit: 4, callback: function (v) { return isPercent(indicator) ? num(v) + "%" : num(v); } },
            },
            x: { ticks: { font: { size: 10 } } },
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var cell = cells[ctx.dataIndex];
                  return formatValue(cell ? cell.value : null, indicator) + " — " + (cell ? STATUS_VI[cell.status] : STATUS_VI.NO_DATA);
                },
              },
            },
          },
        },
      }));
    });
    var restated = asOf >= TWO_TIER_FROM && years[0] + "-01-01" < TWO_TIER_FROM;
    el("trend-tree").textContent = provinces.length + " tỉnh, thành phố theo cây đơn vị ngày " + dateVi(asOf) +
      (restated ? "; số liệu các kỳ trước được tính lại theo địa giới mới" : "") +
      " (" + (state.asOf ? "ngày đã chọn" : "ngày cuối năm mới nhất đã chọn") + ")";
    el("trend-tree").dataset.asOf = asOf;
  }
  /**
   * The trend of the chosen indicator over the chosen years, in one nationalTrend request on one tree: the
   * chosen date's, else the last day of the latest year chosen (asked explicitly, so that the tree is the one named).
   * Its failure is said in its own panel, not the page's.
   */
  function loadTrend(indicators) {
    var section = el("trend-section");
    section.hidden = false;
    var offered = trendYearsOffered();
    var codes = indicators.map(function (i) { return i.code; });
    if (codes.indexOf(state.trendIndicator) < 0) state.trendIndicator = codes[0] || "";
    var years = chosenTrendYears(offered);
    renderTrendControls(indicators, offered, years);
    var indicator = indicators.filter(function (i) { return i.code === state.trendIndicator; })[0];
    el("trend-message").textContent = !indicator ? "Chưa có chỉ số nào để xem xu hướng."
      : !years.length ? "Chọn ít nhất một năm." : "";
    if (!indicator || !years.length) {
      trend.key = null;
      section.dataset.state = "empty";
      return Promise.resolve();
    }
    var asOf = state.asOf || years[years.length - 1] + "-12-31";
    var variables = { periods: years, indicator: indicator.code, asOf: asOf };
    var key = token() + " " + JSON.stringify(variables);
    if (key === trend.key && section.dataset.state === "ready") return Promise.resolve();
    var seq = ++trend.seq;
    section.dataset.state = "loading";
    return gql(TREND, variables).then(function (data) {
      if (seq !== trend.seq) return; // a newer choice is on its way
      // one comparison a period, each province with its one cell of that period
      var t = data.nationalTrend;
      var comparisons = t.periods.map(function (period, i) {
        return { period: period, provinces: t.provinces.map(function (p) { return { unit: p.unit, cells: [p.points[i] || null] }; }) };
      });
      renderTrend(comparisons, indicator, asOf, years);
      showInsufficientLegend();
      trend.key = key;
      section.dataset.state = "ready";
    }, function (e) {
      if (seq !== trend.seq) return;
      trend.key = null;
      trend.charts.forEach(function (chart) { chart.destroy(); });
      trend.charts = [];
      el("trend-charts").textContent = "";
      el("trend-tree").textContent = "";
      el("trend-message").textContent = "Không tải được xu hướng: " + e.message;
      section.dataset.state = "error";
    });
  }
  /** The indicators of the comparison shown, for the trend's own choices (which do not reload the page). */
  function trendIndicators() {
    return Array.prototype.map.call(el("trend-indicator").options, function (o) { return o.dataset.indicator ? JSON.parse(o.dataset.indicator) : null; })
      .filter(Boolean);
  }

  // ---------- periods ----------
  var PERIOD_CODE = /^(\d{4})(?:-(Q[1-4]|H[12]))?$/;
  /** The last day of a period code (2026 → 2026-12-31, 2026-Q3 → 2026-09-30, 2026-H1 → 2026-06-30). */
  function periodLastDay(code) {
    var m = PERIOD_CODE.exec(code);
    var month = !m[2] ? 12 : m[2][0] === "H" ? 6 * Number(m[2][1]) : 3 * Number(m[2][1]);
    var day = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
    return m[1] + "-" + (month < 10 ? "0" : "") + month + "-" + day;
  }
  function periodEnd(code) {
    var found = periods.list.filter(function (p) { return p.code === code; })[0];
    return found ? found.end : "";
  }
  /** The period picker, filled from the plans the token can see; keeps the wanted period if offered. */
  function loadPeriods(wanted) {
    var t = token();
    if (periods.token === t) return Promise.resolve();
    return gql(PERIODS, {}).then(function (data) {
      periods = { token: t, list: data.periods };
      var select = el("period");
      select.textContent = "";
      var group = null;
      data.periods.forEach(function (p) {
        var year = p.code.slice(0, 4);
        if (!group || group.dataset.year !== year) {
          group = h("optgroup", { label: "Năm " + year, "data-year": year });
          select.appendChild(group);
        }
        group.appendChild(h("option", {
          value: p.code,
          "data-has-reports": p.hasReports ? "true" : "false",
          text: periodLabel(p.code) + (p.hasReports ? " — có số liệu" : ""),
        }));
      });
      var codes = data.periods.map(function (p) { return p.code; });
      // a period asked for in the address that no plan in scope covers (reports without a plan): offered too, apart
      if (wanted && codes.indexOf(wanted) < 0 && PERIOD_CODE.test(wanted)) {
        select.appendChild(h("optgroup", { label: "Kỳ khác (ngoài các kế hoạch)", "data-year": "other" }, [
          h("option", { value: wanted, "data-has-reports": "unknown", text: periodLabel(wanted) }),
        ]));
        periods.list = periods.list.concat([{ code: wanted, end: periodLastDay(wanted), hasReports: false }]);
        codes.push(wanted);
      }
      // the period asked for, else the newest with reports of the token's unit, else the newest
      var withReports = data.periods.filter(function (p) { return p.hasReports; })[0];
      select.value = codes.indexOf(wanted) >= 0 ? wanted : withReports ? withReports.code : codes[0] || "";
      if (!codes.length) throw new Error("Chưa có kế hoạch nào trong phạm vi của bạn, nên chưa có kỳ báo cáo để chọn (có thể ghi kỳ vào địa chỉ, vd. #period=2026).");
    });
  }

  // ---------- CSV ----------
  function download(url, filename) {
    setMessage("Đang tải CSV…");
    fetch(url, { headers: { authorization: "Bearer " + token() } })
      .then(function (r) {
        if (!r.ok) return r.text().then(function (t) { throw new Error("HTTP " + r.status + ": " + t); });
        return r.blob();
      })
      .then(function (blob) {
        var a = h("a", { href: URL.createObjectURL(blob), download: filename });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setMessage("Đã tải " + filename);
      })
      .catch(function (e) { setMessage("Không tải được CSV: " + e.message, true); });
  }

  // ---------- navigation ----------
  function writeHash() {
    history.replaceState(null, "", "#unit=" + encodeURIComponent(state.unit) + "&period=" + encodeURIComponent(state.period) +
      (state.asOf ? "&asOf=" + encodeURIComponent(state.asOf) : "") +
      (state.approvedOnly ? "&approved=1" : "") +
      (state.trendIndicator ? "&trend=" + encodeURIComponent(state.trendIndicator) : "") +
      (state.trendYears ? "&years=" + encodeURIComponent(state.trendYears.join(",")) : ""));
  }
  function refresh() {
    if (!token()) {
      setMessage("Dán token để bắt đầu.", true);
      return Promise.resolve();
    }
    document.body.dataset.state = "loading";
    setMessage("Đang tải…");
    return loadPeriods(state.period)
      .then(function () {
        state.unit = el("unit").value.trim().toUpperCase() || tokenUnit(token()) || "VN";
        state.period = el("period").value;
        state.asOf = el("as-of").value;
        state.approvedOnly = el("approved-only").checked;
        el("unit").value = state.unit;
        writeHash();
        return Promise.all([loadUnit(), loadComparison()]);
      })
      .then(function () {
        showInsufficientLegend();
        setMessage("");
        document.body.dataset.state = "ready";
      })
      .catch(function (e) {
        setMessage(e.message, true);
        document.body.dataset.state = "error";
      });
  }
  function go(code) {
    el("unit").value = code;
    return refresh();
  }

  function init() {
    var hash = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) hash[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    });
    // The token lives in this tab only (sessionStorage); earlier versions kept it in localStorage.
    var saved = "";
    try { localStorage.removeItem(TOKEN_KEY); saved = sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { /* private mode */ }
    el("token").value = hash.token || saved;
    if (hash.token) {
      try { sessionStorage.setItem(TOKEN_KEY, hash.token); } catch (e) { /* private mode */ }
    }
    el("unit").value = hash.unit || tokenUnit(token()) || "";
    state.period = hash.period || ""; // chosen once the token's periods are read
    el("as-of").value = hash.asOf || "";
    el("approved-only").checked = hash.approved === "1";
    state.trendIndicator = hash.trend || "";
    state.trendYears = hash.years ? hash.years.split(",").filter(function (y) { return /^\d{4}$/.test(y); }) : null;

    el("token").addEventListener("change", function () {
      try { sessionStorage.setItem(TOKEN_KEY, token()); } catch (e) { /* private mode */ }
      el("unit").value = tokenUnit(token()) || el("unit").value;
      refresh();
    });
    el("period").addEventListener("change", refresh);
    el("as-of").addEventListener("change", refresh);
    el("approved-only").addEventListener("change", refresh);
    // the trend's own choices ask for the trend alone
    el("trend-indicator").addEventListener("change", function () {
      state.trendIndicator = el("trend-indicator").value;
      writeHash();
      loadTrend(trendIndicators());
    });
    el("trend-years").addEventListener("change", function (e) {
      var checked = Array.prototype.map.call(el("trend-years").querySelectorAll("input:checked"), function (i) { return i.value; });
      if (checked.length > MAX_TREND_YEARS) {
        e.target.checked = false;
        el("trend-message").textContent = "Chọn tối đa " + MAX_TREND_YEARS + " năm.";
        return;
      }
      state.trendYears = checked.sort();
      writeHash();
      loadTrend(trendIndicators());
    });
    el("table-indicator").addEventListener("change", function () {
      var code = el("table-indicator").value;
      el("comparison").querySelectorAll("tbody tr").forEach(function (tr) { tr.hidden = !!code && tr.dataset.indicator !== code; });
    });
    el("controls").addEventListener("submit", function (e) { e.preventDefault(); refresh(); });
    // the CSV of what is shown: the same tree (the chosen date's, else the period's own)
    function csvDate() {
      return state.asOf ? "&asOf=" + encodeURIComponent(state.asOf) : "";
    }
    function fileDate() {
      return state.asOf ? "-cay-" + state.asOf : "";
    }
    el("csv-rollup").addEventListener("click", function () {
      download("/csv/rollup?unit=" + encodeURIComponent(state.unit) + "&period=" + encodeURIComponent(state.period) + csvDate(),
        "tong-hop-" + state.unit + "-" + state.period + fileDate() + ".csv");
    });
    el("csv-reporting").addEventListener("click", function (e) {
      e.preventDefault(); // fetched with the token, as the other CSV buttons
      download(reportingCsvUrl(), "tinh-hinh-bao-cao-" + state.unit + "-" + state.period + fileDate() + ".csv");
    });
    el("csv-comparison").addEventListener("click", function () {
      download("/csv/national-comparison?period=" + encodeURIComponent(state.period) + csvDate(),
        "so-sanh-toan-quoc-" + state.period + fileDate() + ".csv");
    });
    var timer;
    el("search").addEventListener("input", function () {
      clearTimeout(timer);
      var text = el("search").value.trim();
      if (text.length < 2 || !token()) return;
      timer = setTimeout(function () {
        // the tree shown: the chosen date, else the period's last day
        gql(SEARCH, { text: text, asOf: state.asOf || periodEnd(state.period) || null })
          .then(function (data) {
            var list = el("unit-options");
            list.textContent = "";
            data.searchOrgUnits.nodes.forEach(function (u) { list.appendChild(h("option", { value: u.code, label: u.name })); });
            if (data.searchOrgUnits.nodes.length === 1) go(data.searchOrgUnits.nodes[0].code);
            else setMessage(data.searchOrgUnits.nodes.length + " đơn vị phù hợp: chọn trong ô Đơn vị.");
          })
          .catch(function (e) { setMessage(e.message, true); });
      }, 300);
    });
    refresh();
  }

  init();
})();
