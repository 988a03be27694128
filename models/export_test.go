package models

// CaseCountsGrouping exposes the rollup's aggregate to the planner tests.
const CaseCountsGrouping = caseCountsGrouping
