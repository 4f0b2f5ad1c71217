/** The example operations GraphiQL opens with (one tab each), all working on the seed data. */
export interface ExampleOperation {
  title: string;
  query: string;
  variables?: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const PROVINCE_PAGE: ExampleOperation = {
  title: "Province page",
  query: `# Trang tỉnh — a province's page: Quảng Ninh in 2025.
# Its indicators against its own effective targets (where each target comes from), completeness,
# each district judged against its own target, and its plans. Choose a token above, then press ▶.
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

export const DISTRICT_TARGETS: ExampleOperation = {
  title: "District targets",
  query: `# Giao chỉ tiêu cấp huyện — setting a district's targets (token: Quảng Ninh planner, or the ministry).
# Run the operations in order (▶ offers each by name):
# 1. ProvincePlan: copy the province plan's id into "create.parentPlanId" below.
# 2. CreateDistrictPlan: Hạ Long's 2025 plan under it; copy its id into "set.planId" (version 1).
# 3. SetDistrictTargets: a target may only tighten the inherited one. Try share 60 (looser than
#    Quảng Ninh's ≥ 75%): it is refused with the parent's value, and nothing is written.
query ProvincePlan {
  plans(unitCode: "22", period: "2025") {
    id
    version
    title
    effectiveTargets { indicatorCode inherited value { text } }
  }
}

mutation CreateDistrictPlan($create: CreatePlanInput!) {
  createPlan(input: $create) { id version title unit { name } parentPlan { title } }
}

mutation SetDistrictTargets($set: SetTargetsInput!) {
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
      unitCode: "193",
      title: "Kế hoạch phòng, chống mại dâm năm 2025 trên địa bàn thành phố Hạ Long",
      periodStart: "2025-01-01",
      periodEnd: "2025-12-31",
      reason: "Kế hoạch năm 2025 của thành phố",
    },
    set: {
      planId: "<id from CreateDistrictPlan>",
      version: 1,
      reason: "Giao chỉ tiêu năm 2025",
      targets: [{ indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 80 }],
    },
  }),
};

export const NATIONAL_COMPARISON: ExampleOperation = {
  title: "National comparison",
  query: `# So sánh toàn quốc — the ministry's view (token: ministry / nation): every province side by side
# on chosen indicators, each ranked (1 = best, by the indicator's direction) and judged against its
# own effective target; the nation's roll-up and national target first.
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

export const INDICATOR_CATALOG: ExampleOperation = {
  title: "Indicator catalog",
  query: `# Danh mục chỉ số: what every roll-up and comparison is made of.
query Indicators {
  indicators { code nameVi area valueKind direction rollupRule reportingLevel periodType periodRule }
}`,
};

export const EXAMPLE_OPERATIONS: ExampleOperation[] = [PROVINCE_PAGE, DISTRICT_TARGETS, NATIONAL_COMPARISON, INDICATOR_CATALOG];
