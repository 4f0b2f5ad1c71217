/** The example operations GraphiQL opens with (one tab each), all working on the seed data. */
export interface ExampleOperation {
  title: string;
  query: string;
  variables?: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const PROVINCE_PAGE: ExampleOperation = {
  title: "Province page",
  query: `# Trang tỉnh — a province's page: Quảng Ninh in 2025, on today's tree (two tiers since 1/7/2025).
# Its indicators against its own effective targets (where each target comes from), completeness,
# each commune judged against its own target, and its plans. Choose a token above, then press ▶.
# A roll-up is on the tree of its period's last day: 2025 → province → communes; 2024 or 2025-Q1 →
# province → districts → communes. Add asOf: "2024-06-30" to rollup to see any period on that day's tree.
query ProvincePage($unit: String!, $period: String!) {
  rollup(unitCode: $unit, period: $period) {
    period
    unit { code name level }
    cells {
      indicatorCode
      indicator { nameVi direction }
      value
      unitsReported
      unitsExpected
      completeness
      status
      gap
      target { inherited sourcePlanDocument sourceUnitCode value { text } }
    }
    children {
      unit { code name }
      cells { indicatorCode value status completeness }
    }
  }
  plans(unitCode: $unit, period: $period) {
    id
    version
    title
    documentNumber
    parentPlan { documentNumber unit { name } }
  }
}`,
  variables: json({ unit: "22", period: "2025" }),
};

export const PLANS_2026: ExampleOperation = {
  title: "Plans for 2026",
  query: `# Kế hoạch năm 2026 — Hà Nội plans 2026 before the national 2026-2035 program is approved (token: the
# ministry viewer, or any token of Hà Nội, 01). Run the operations in order (▶ offers each by name):
# 1. Plans2026: Hà Nội's plans covering 2026. 07/KH-UBND has no parent plan (parentless: it inherits nothing,
#    inheritance says so in words) and rests on its legal basis; only an ACTIVE plan gives units their targets
#    (DRAFT → ACTIVE → CLOSED or SUPERSEDED). Quantity targets count things: "at least 60,000 people".
#    06/KH-UBND splits its 2,937 inspected businesses into quotas for named wards: quotaSplits says whether
#    they add up (sum against the plan's quantity, the shortfall, how many wards have none). Looser targets
#    accepted when a plan was attached or activated are its exceptions (why, who, when).
# 2. QuotaSplit: copy 06/KH-UBND's id into "plan" below: each ward's quota, and the wards with none.
# 3. Progress2026: the roll-up of a quarter of 2026: the sum so far against the city's quantities and each
#    ward's quota (gap: what is still missing; a yearly quantity is judged on the year so far). A target
#    applies to the periods its plan covers: 06/KH-UBND (from 7 January) gives its quotas to the quarters from Q2.
query Plans2026($unit: String!, $period: String!) {
  plans(unitCode: $unit, period: $period) {
    id
    documentNumber
    title
    status
    parentless
    legalBasis
    inheritance
    parentPlan { documentNumber }
    effectiveTargets { indicatorCode provenance value { kind quantity unit share text } }
    exceptions { indicatorCode value { text } parentValue { text } reason recordedBy recordedAt }
    quotaSplits { indicatorCode unit required sum shortfall meets named children withoutQuotaCount explanation }
  }
}

query QuotaSplit($plan: ID!) {
  plan(id: $plan) {
    documentNumber
    quotaSplits {
      indicatorCode
      required
      sum
      shortfall
      quotas { unitCode unitName quantity value { text } }
      unitsWithoutQuota { unitCode unitName }
    }
  }
}

query Progress2026($unit: String!, $quarter: String!) {
  rollup(unitCode: $unit, period: $quarter, indicators: ["AWR_IZ_WORKERS_INFORMED", "ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS"]) {
    cells { indicatorCode quantityUnit status required measured gap judgedPeriods target { provenanceText value { text } } }
    children { unit { code name } cells { indicatorCode status required measured gap target { provenance provenanceText } } }
  }
}`,
  variables: json({ unit: "01", period: "2026", plan: "<id of 06/KH-UBND from Plans2026>", quarter: "2026-Q3" }),
};

/** Setting a commune's targets (the name is older than the two-tier tree: test/ops-examples.test.ts imports it). */
export const COMMUNE_TARGETS: ExampleOperation = {
  title: "Commune targets",
  query: `# Giao chỉ tiêu cấp xã — setting a commune's targets (token: Quảng Ninh planner, or the ministry).
# Since 1/7/2025 a province's units are its communes (no districts): Phường Bãi Cháy (06673) here.
# Run the operations in order (▶ offers each by name):
# 1. ProvincePlan: copy the province plan's id into "create.parentPlanId" below.
# 2. CreateCommunePlan: Bãi Cháy's plan for the second half of 2025 (the commune exists from
#    1/7/2025) under it; copy its id into "set.planId" (version 1).
# 3. SetCommuneTargets: a target may only tighten the inherited one. Try share 60 (looser than
#    Quảng Ninh's ≥ 75%): it is refused with the parent's value, and nothing is written.
query ProvincePlan {
  plans(unitCode: "22", period: "2025") {
    id
    version
    title
    effectiveTargets { indicatorCode inherited value { text } }
  }
}

mutation CreateCommunePlan($create: CreatePlanInput!) {
  createPlan(input: $create) { id version title unit { name } parentPlan { title } }
}

mutation SetCommuneTargets($set: SetTargetsInput!) {
  setTargets(input: $set) {
    __typename
    ... on TargetsSet {
      plan { id version }
      targets {
        indicatorCode
        inherited
        value { text }
        comparedToParent { verdict delta explanation }
      }
    }
    ... on TargetsRefused {
      refusals { indicatorCode reason message parentPlanDocument parentValue { text } requestedValue { text } }
    }
  }
}`,
  variables: json({
    create: {
      parentPlanId: "<id from ProvincePlan>",
      unitCode: "06673",
      title: "Kế hoạch phòng, chống mại dâm 6 tháng cuối năm 2025 trên địa bàn phường Bãi Cháy",
      periodStart: "2025-07-01",
      periodEnd: "2025-12-31",
      reason: "Kế hoạch 6 tháng cuối năm 2025 của phường",
    },
    set: {
      planId: "<id from CreateCommunePlan>",
      version: 1,
      reason: "Giao chỉ tiêu 6 tháng cuối năm 2025",
      targets: [{ indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 80 }],
    },
  }),
};

export const NATIONAL_COMPARISON: ExampleOperation = {
  title: "National comparison",
  query: `# So sánh toàn quốc — the ministry's view (token: ministry / nation): every province side by side
# on chosen indicators, each ranked (1 = best, by the indicator's direction) and judged against its
# own effective target; the nation's roll-up and national target first. 2025 is on the tree of its last
# day: the 34 provinces of 1/7/2025 (2024 is on the 63 of its time).
query NationalComparison($period: String!, $indicators: [String!]) {
  nationalComparison(period: $period, indicators: $indicators) {
    period
    indicators { code nameVi direction }
    nation { cells { indicatorCode value required target { value { text } } } }
    provinces {
      unit { code name }
      cells { indicatorCode value rank status completeness target { inherited sourcePlanDocument value { text } } }
    }
  }
}`,
  variables: json({ period: "2025", indicators: ["AWR_COMMUNE_ACTIVITY", "ENF_CRIMES_HANDLED"] }),
};

export const UNIT_ON_A_DATE: ExampleOperation = {
  title: "Unit on a date",
  query: `# Một mã, hai đơn vị — a unit is a code on a date (token: the ministry, or An Giang).
# Without asOf a look-up answers today's tree: 91 is Tỉnh An Giang, made on 1/7/2025 of the old
# An Giang (89) and Kiên Giang (91), its communes directly below it. With asOf it answers the tree
# of that day: on 30/6/2024 91 was Tỉnh Kiên Giang, with its districts.
query UnitOnADate {
  today: orgUnit(code: "91") {
    code name level validFrom validTo asOf
    predecessors { relation on unit { code name validTo } }
    children(first: 3) { totalCount nodes { code name level } }
  }
  before: orgUnit(code: "91", asOf: "2024-06-30") {
    code name level validFrom validTo asOf
    successors { relation on unit { code name validFrom } }
    children(first: 3) { totalCount nodes { code name level } }
  }
}`,
};

export const INDICATOR_CATALOG: ExampleOperation = {
  title: "Indicator catalog",
  query: `# Danh mục chỉ số: what every roll-up and comparison is made of.
query Indicators {
  indicators { code nameVi area valueKind direction rollupRule reportingLevel periodType periodRule }
}`,
};

export const EXAMPLE_OPERATIONS: ExampleOperation[] = [
  PROVINCE_PAGE,
  PLANS_2026,
  COMMUNE_TARGETS,
  NATIONAL_COMPARISON,
  UNIT_ON_A_DATE,
  INDICATOR_CATALOG,
];
