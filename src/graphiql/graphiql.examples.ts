/** The example operations GraphiQL opens with (each a tab), all working on the seed data. */
export interface ExampleOperation {
  title: string;
  query: string;
  variables?: string;
}

export const EXAMPLE_OPERATIONS: ExampleOperation[] = [
  {
    title: "Province page",
    query: `# Trang tỉnh: Quảng Ninh, its districts and its plans covering 2025.
# Pick a token above (or paste one), then press ▶.
query ProvincePage($code: String!, $period: String!) {
  orgUnit(code: $code) {
    code
    name
    type
    children(first: 50) { totalCount nodes { code name type } }
  }
  plans(unitCode: $code, period: $period) {
    id
    title
    documentNumber
    periodStart
    periodEnd
    parentPlan { documentNumber unit { name } }
  }
}`,
    variables: JSON.stringify({ code: "22", period: "2025" }, null, 2),
  },
  {
    title: "District plans",
    query: `# Kế hoạch cấp huyện: the plans of Lai Châu and the plans implementing them.
query DistrictPlans($province: String!, $period: String!) {
  plans(unitCode: $province, period: $period) {
    id
    title
    documentNumber
    childPlans { id title documentNumber unit { code name } }
  }
}`,
    variables: JSON.stringify({ province: "12", period: "2025" }, null, 2),
  },
  {
    title: "Indicator catalog",
    query: `# Danh mục chỉ tiêu: the indicators every comparison is made on.
query Indicators {
  indicators { code nameVi area valueKind direction rollupRule reportingLevel periodType }
}`,
  },
];
