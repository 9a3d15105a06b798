//! Small counts that stay hidden (statistical disclosure control) in the published figures: the
//! spreadsheet, the CSV tables and the printed report.
//!
//! Counts from 1 to 4 are hidden (primary suppression). A reader still knows how the tables hang
//! together: every breakdown adds up to its total in the summary, new and returning visitors add
//! up to the people, the months add up to the period, the marks of a question add up to the
//! responses and their mean gives the sum of the marks. So more cells are hidden (secondary
//! suppression, a row of a breakdown before a summary figure, the smallest that helps first)
//! until no hidden count is fixed by what is shown: for each one there are other values of the
//! hidden cells, every one at least 1, that keep every shown cell and every equation, with that
//! cell different. This is checked over real numbers (a linear programme over the hidden cells
//! tied to it, as disclosure-control tools check their protection), and [`working_out`] runs the
//! same check on any set of hidden cells, so the tests can check the claim on what was written.
//! `docs/figures.md` gives the rule with a worked example and its limits.

use std::collections::BTreeSet;

use super::{Cell, Table};

/// Where a value sits: the table's place in [`super::tables`], its row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    /// The table's index.
    pub table: usize,
    /// The row.
    pub row: usize,
    /// The column.
    pub column: usize,
}

/// Counts from 1 to 4 are hidden.
pub const SMALLEST_SHOWN: u64 = 5;

/// One quantity a reader can reason about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quantity {
    /// A count in a table.
    Count(CellRef),
    /// The sum of the marks given to one question, which its mean (this cell) times the
    /// responses reveals.
    MarksSum(CellRef),
}

#[derive(Debug, Clone)]
struct Variable {
    quantity: Quantity,
    value: i64,
    /// A figure of the summary (or a mark sum): hidden only when no row of a breakdown helps.
    total: bool,
}

/// The values of the tables and the equations a reader knows between them, each a list of
/// (variable, coefficient) adding up to zero.
#[derive(Debug, Clone)]
struct System {
    variables: Vec<Variable>,
    equations: Vec<Vec<(usize, i64)>>,
    /// The mark-sum variable of each question, with the responses it goes with.
    mark_sums: Vec<(usize, Option<usize>)>,
}

/// Which summary figure each breakdown adds up to.
const TOTALS: [(&str, &str); 19] = [
    ("services_by_type", "services_total"),
    ("services_by_provider", "services_total"),
    ("countries_of_origin", "unique_visitors"),
    ("nationality", "unique_visitors"),
    ("sex", "unique_visitors"),
    ("age_bands", "unique_visitors"),
    ("legal_status", "unique_visitors"),
    ("languages", "unique_visitors"),
    ("visits_by_language", "visits"),
    ("interpreter", "visits"),
    ("consultations", "visits"),
    ("duration_bands", "visits"),
    ("referrals_by_destination", "referrals"),
    ("referrals_by_service", "referrals"),
    ("referrals_by_outcome", "referrals"),
    ("accompaniments_by_institution", "accompaniments"),
    ("accompaniments_by_outcome", "accompaniments"),
    ("satisfaction_overall", "satisfaction_responses"),
    ("satisfaction_staff", "satisfaction_responses"),
];

/// Which summary figure each column of the monthly series adds up to over the months.
const MONTHLY_TOTALS: [(&str, &str); 4] = [
    ("new_visitors", "new_visitors"),
    ("visits", "visits"),
    ("anonymous_visits", "anonymous_visits"),
    ("services", "services_total"),
];

impl System {
    fn build(tables: &[Table]) -> System {
        let mut variables = Vec::new();
        for (t, table) in tables.iter().enumerate() {
            for (r, row) in table.rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    if let Cell::Count(n) = cell {
                        variables.push(Variable {
                            quantity: Quantity::Count(CellRef {
                                table: t,
                                row: r,
                                column: c,
                            }),
                            value: i64::try_from(*n).unwrap_or(i64::MAX),
                            total: table.name == "summary",
                        });
                    }
                }
            }
        }
        let table_index = |name: &str| tables.iter().position(|t| t.name == name);
        // The count in the row of `table` whose first cell is `key`.
        let row_of = |table: &str, key: &str| -> Option<usize> {
            let t = table_index(table)?;
            let r = tables[t]
                .rows
                .iter()
                .position(|row| matches!(row.first(), Some(Cell::Text(k)) if k == key))?;
            variable_at(
                &variables,
                CellRef {
                    table: t,
                    row: r,
                    column: 1,
                },
            )
        };
        let summary = |key: &str| row_of("summary", key);
        let mut equations = Vec::new();
        // A breakdown adds up to its total.
        for (name, total) in TOTALS {
            let (Some(t), Some(total)) = (table_index(name), summary(total)) else {
                continue;
            };
            let mut equation: Vec<(usize, i64)> =
                column(&variables, t, 1).map(|v| (v, 1)).collect();
            equation.push((total, -1));
            equations.push(equation);
        }
        // The summary's own arithmetic, and figures that are the same number in two places.
        let mut linear = |terms: &[(Option<usize>, i64)]| {
            let known: Vec<(usize, i64)> = terms
                .iter()
                .filter_map(|(v, c)| v.map(|v| (v, *c)))
                .collect();
            if !known.is_empty() {
                equations.push(known);
            }
        };
        linear(&[
            (summary("unique_visitors"), 1),
            (summary("new_visitors"), -1),
            (summary("returning_visitors"), -1),
        ]);
        linear(&[
            (summary("unique_visitors"), 1),
            (row_of("participants", "supported"), -1),
        ]);
        linear(&[
            (summary("new_visitors"), 1),
            (row_of("consultations", "first"), -1),
        ]);
        linear(&[
            (summary("anonymous_visits"), 1),
            (row_of("consultations", "anonymous"), -1),
        ]);
        // Children are the people of the age band 0-17.
        linear(&[
            (row_of("households", "children"), 1),
            (row_of("age_bands", "0-17"), -1),
        ]);
        for (key, table, status) in super::SUMMARY_PARTS {
            linear(&[(summary(key), 1), (row_of(table, status), -1)]);
        }
        // The months add up to the period; one month is the period.
        if let Some(t) = table_index("monthly") {
            let columns = &tables[t].columns;
            let mut sums = MONTHLY_TOTALS.to_vec();
            if tables[t].rows.len() == 1 {
                sums.push(("unique_visitors", "unique_visitors"));
            }
            for (name, total) in sums {
                let (Some(c), Some(total)) =
                    (columns.iter().position(|k| *k == name), summary(total))
                else {
                    continue;
                };
                let mut equation: Vec<(usize, i64)> =
                    column(&variables, t, c).map(|v| (v, 1)).collect();
                equation.push((total, -1));
                equations.push(equation);
            }
        }
        // A mean times the responses is the sum of the marks.
        let (mut extra, mut mark_sums) = (Vec::new(), Vec::new());
        let responses = summary("satisfaction_responses");
        for (question, mean_key) in [
            ("satisfaction_overall", "satisfaction_overall_mean"),
            ("satisfaction_staff", "satisfaction_staff_mean"),
        ] {
            let (Some(t), Some(summary_table)) = (table_index(question), table_index("summary"))
            else {
                continue;
            };
            let Some(mean_row) = tables[summary_table]
                .rows
                .iter()
                .position(|row| matches!(row.first(), Some(Cell::Text(k)) if k == mean_key))
            else {
                continue;
            };
            let marks: Vec<(usize, i64)> = tables[t]
                .rows
                .iter()
                .enumerate()
                .filter_map(|(r, row)| {
                    let mark = match row.first() {
                        Some(Cell::Text(k)) => k.parse::<i64>().ok()?,
                        _ => return None,
                    };
                    let v = variable_at(
                        &variables,
                        CellRef {
                            table: t,
                            row: r,
                            column: 1,
                        },
                    )?;
                    Some((v, mark))
                })
                .collect();
            let sum: i64 = marks
                .iter()
                .map(|(v, mark)| variables[*v].value * mark)
                .sum();
            let variable = variables.len() + extra.len();
            extra.push(Variable {
                quantity: Quantity::MarksSum(CellRef {
                    table: summary_table,
                    row: mean_row,
                    column: 1,
                }),
                value: sum,
                total: true,
            });
            let mut equation = marks;
            equation.push((variable, -1));
            equations.push(equation);
            mark_sums.push((variable, responses));
        }
        variables.extend(extra);
        System {
            variables,
            equations,
            mark_sums,
        }
    }

    /// The counts from 1 to 4, and every mean whose responses are hidden.
    fn primary(&self) -> Vec<bool> {
        let mut hidden: Vec<bool> = self
            .variables
            .iter()
            .map(|v| {
                matches!(v.quantity, Quantity::Count(_))
                    && (1..SMALLEST_SHOWN as i64).contains(&v.value)
            })
            .collect();
        self.hide_means_of_hidden_responses(&mut hidden);
        hidden
    }

    /// A mean over hidden responses would give away the sum of the marks.
    fn hide_means_of_hidden_responses(&self, hidden: &mut [bool]) {
        for (mark_sum, responses) in &self.mark_sums {
            if responses.is_some_and(|r| hidden[r]) {
                hidden[*mark_sum] = true;
            }
        }
    }

    /// The first hidden variable that can be worked out from what is shown, if any.
    fn exposed(&self, hidden: &[bool]) -> Option<usize> {
        (0..self.variables.len()).find(|&v| hidden[v] && !self.can_move(v, hidden))
    }

    /// Whether hidden variable `v` can take another value while every equation holds, every
    /// shown value stays and every hidden value stays at least 1: whether some direction of
    /// change moves it, with no hidden value of 1 going down. The search is confined to the
    /// hidden values tied to `v` through equations.
    fn can_move(&self, v: usize, hidden: &[bool]) -> bool {
        // The hidden values tied to v, and the equations that tie them.
        let mut group = vec![v];
        let mut equations: Vec<usize> = Vec::new();
        let mut next = 0;
        while next < group.len() {
            let current = group[next];
            next += 1;
            for (e, equation) in self.equations.iter().enumerate() {
                if equations.contains(&e) || !equation.iter().any(|(x, _)| *x == current) {
                    continue;
                }
                equations.push(e);
                for (x, _) in equation {
                    if hidden[*x] && !group.contains(x) {
                        group.push(*x);
                    }
                }
            }
        }
        // One column for a hidden value of 1 (it may only go up), two for any other (up, down).
        let mut columns: Vec<(usize, f64)> = Vec::new();
        for &x in &group {
            columns.push((x, 1.0));
            if self.variables[x].value > 1 {
                columns.push((x, -1.0));
            }
        }
        let row = |terms: &[(usize, i64)]| -> Vec<f64> {
            columns
                .iter()
                .map(|(x, sign)| {
                    sign * terms
                        .iter()
                        .filter(|(t, _)| t == x)
                        .map(|(_, c)| *c as f64)
                        .sum::<f64>()
                })
                .collect()
        };
        let mut matrix: Vec<Vec<f64>> = equations
            .iter()
            .map(|&e| row(&self.equations[e]))
            .filter(|r| r.iter().any(|c| *c != 0.0))
            .collect();
        matrix.push(row(&[(v, 1)]));
        let mut target = vec![0.0; matrix.len()];
        [1.0, -1.0].into_iter().any(|step| {
            if let Some(last) = target.last_mut() {
                *last = step;
            }
            has_nonnegative_solution(&matrix, &target)
        })
    }

    /// The visible variable to hide next so that `exposed` no longer can be worked out: in an
    /// equation with it, a breakdown row before a summary figure, the smallest first; the first
    /// that alone lets `exposed` move, else the first of them.
    fn next_to_hide(&self, exposed: usize, hidden: &[bool]) -> Option<usize> {
        let visible_in = |equations: &mut dyn Iterator<Item = &Vec<(usize, i64)>>| -> Vec<usize> {
            equations
                .flatten()
                .map(|(v, _)| *v)
                .filter(|&v| !hidden[v] && self.variables[v].value > 0)
                .collect()
        };
        let mut candidates = visible_in(
            &mut self
                .equations
                .iter()
                .filter(|e| e.iter().any(|(v, _)| *v == exposed)),
        );
        if candidates.is_empty() {
            // Worked out through other equations: widen to every equation with a hidden value.
            candidates = visible_in(
                &mut self
                    .equations
                    .iter()
                    .filter(|e| e.iter().any(|(v, _)| hidden[*v])),
            );
        }
        candidates.sort_by_key(|&v| (self.variables[v].total, self.variables[v].value, v));
        candidates.dedup();
        candidates
            .iter()
            .copied()
            .find(|&candidate| {
                let mut trial = hidden.to_vec();
                trial[candidate] = true;
                self.hide_means_of_hidden_responses(&mut trial);
                self.can_move(exposed, &trial)
            })
            .or_else(|| candidates.first().copied())
    }

    fn cells(&self, hidden: &[bool]) -> BTreeSet<CellRef> {
        self.variables
            .iter()
            .zip(hidden)
            .filter(|(_, hidden)| **hidden)
            .map(|(v, _)| match v.quantity {
                Quantity::Count(cell) | Quantity::MarksSum(cell) => cell,
            })
            .collect()
    }
}

/// The cells to hide in these tables (see the module's documentation): counts from 1 to 4, and
/// as few more as it takes so that none of them can be worked out from what is shown. A hidden
/// mean is its row in the summary.
pub fn hidden_cells(tables: &[Table]) -> BTreeSet<CellRef> {
    let system = System::build(tables);
    let mut hidden = system.primary();
    while let Some(exposed) = system.exposed(&hidden) {
        let Some(next) = system.next_to_hide(exposed, &hidden) else {
            break;
        };
        hidden[next] = true;
        system.hide_means_of_hidden_responses(&mut hidden);
    }
    system.cells(&hidden)
}

/// The summary cell a breakdown table adds up to, as (table, row, column), if it has one.
pub fn total_of(tables: &[Table], table: usize) -> Option<(usize, usize, usize)> {
    let name = tables.get(table)?.name;
    let (_, key) = TOTALS.iter().find(|(breakdown, _)| *breakdown == name)?;
    let summary = tables.iter().position(|t| t.name == "summary")?;
    let row = tables[summary]
        .rows
        .iter()
        .position(|row| matches!(row.first(), Some(Cell::Text(k)) if k == key))?;
    Some((summary, row, 1))
}

/// A hidden cell whose value can be worked out from the others shown and the equations between
/// the tables, if there is one: no other table agrees with everything shown and has whole
/// numbers of at least 1 in its hidden cells with another value in that cell. (A search that
/// finds no such table for a cell counts it as worked out, so this errs on the side of caution.)
pub fn working_out(tables: &[Table], hidden: &BTreeSet<CellRef>) -> Option<CellRef> {
    let system = System::build(tables);
    let flags: Vec<bool> = system
        .variables
        .iter()
        .map(|v| match v.quantity {
            Quantity::Count(cell) | Quantity::MarksSum(cell) => hidden.contains(&cell),
        })
        .collect();
    system
        .exposed(&flags)
        .map(|v| match system.variables[v].quantity {
            Quantity::Count(cell) | Quantity::MarksSum(cell) => cell,
        })
}

fn variable_at(variables: &[Variable], cell: CellRef) -> Option<usize> {
    variables
        .iter()
        .position(|v| v.quantity == Quantity::Count(cell))
}

/// The variables of one column of a table.
fn column(variables: &[Variable], table: usize, column: usize) -> impl Iterator<Item = usize> + '_ {
    variables
        .iter()
        .enumerate()
        .filter(move |(_, v)| {
            matches!(v.quantity, Quantity::Count(c) if c.table == table && c.column == column)
        })
        .map(|(i, _)| i)
}

/// Whether some x ≥ 0 has `matrix`·x = `target`: the first phase of the simplex method, with
/// Bland's rule so that it always ends. The tables' equations have small whole coefficients,
/// so floating point with a tolerance decides them exactly at these sizes.
fn has_nonnegative_solution(matrix: &[Vec<f64>], target: &[f64]) -> bool {
    const EPSILON: f64 = 1e-9;
    let rows = matrix.len();
    let columns = matrix.first().map_or(0, Vec::len);
    // The tableau: the columns, one artificial column a row, and the right-hand side.
    let width = columns + rows + 1;
    let mut tableau: Vec<Vec<f64>> = matrix
        .iter()
        .zip(target)
        .enumerate()
        .map(|(r, (row, &b))| {
            let sign = if b < 0.0 { -1.0 } else { 1.0 };
            let mut line = vec![0.0; width];
            for (c, value) in row.iter().enumerate() {
                line[c] = sign * value;
            }
            line[columns + r] = 1.0;
            line[width - 1] = sign * b;
            line
        })
        .collect();
    let mut basis: Vec<usize> = (columns..columns + rows).collect();
    // Minimise the sum of the artificial columns: reduced costs, and minus the sum in the last.
    let mut cost = vec![0.0; width];
    for line in &tableau {
        for c in 0..columns {
            cost[c] -= line[c];
        }
        cost[width - 1] -= line[width - 1];
    }
    while let Some(enter) = (0..columns + rows).find(|&c| cost[c] < -EPSILON) {
        let Some(leave) = (0..rows)
            .filter(|&r| tableau[r][enter] > EPSILON)
            .min_by(|&a, &b| {
                let ratio = |r: usize| tableau[r][width - 1] / tableau[r][enter];
                ratio(a).total_cmp(&ratio(b)).then(basis[a].cmp(&basis[b]))
            })
        else {
            break;
        };
        let pivot = tableau[leave][enter];
        for value in &mut tableau[leave] {
            *value /= pivot;
        }
        let pivot_row = tableau[leave].clone();
        for (r, line) in tableau.iter_mut().enumerate() {
            let factor = line[enter];
            if r != leave && factor != 0.0 {
                for (value, p) in line.iter_mut().zip(&pivot_row) {
                    *value -= factor * p;
                }
            }
        }
        let factor = cost[enter];
        for (value, p) in cost.iter_mut().zip(&pivot_row) {
            *value -= factor * p;
        }
        basis[leave] = enter;
    }
    cost[width - 1].abs() < 1e-7
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::figures::{Count, Figures};
    use proptest::prelude::*;

    fn counts(pairs: &[(&str, u64)]) -> Vec<Count> {
        pairs
            .iter()
            .map(|(k, n)| Count {
                key: (*k).to_owned(),
                count: *n,
            })
            .collect()
    }

    /// A month of 40 people where Iraq has 3 and everything else is large.
    fn month_with_one_small_country() -> Figures {
        Figures {
            unique_visitors: 40,
            new_visitors: 10,
            returning_visitors: 30,
            visits: 60,
            countries_of_origin: counts(&[("SY", 20), ("UA", 17), ("IQ", 3)]),
            sex: counts(&[("f", 20), ("m", 20)]),
            ..Figures::default()
        }
    }

    fn hidden_keys(tables: &[Table], hidden: &BTreeSet<CellRef>, table: &str) -> Vec<String> {
        let t = tables
            .iter()
            .position(|t| t.name == table)
            .unwrap_or_else(|| panic!("missing"));
        hidden
            .iter()
            .filter(|c| c.table == t)
            .map(|c| match &tables[t].rows[c.row][0] {
                Cell::Text(k) => k.clone(),
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn one_small_cell_takes_the_smallest_other_with_it() {
        let tables = super::super::tables(&month_with_one_small_country());
        let hidden = hidden_cells(&tables);
        let mut keys = hidden_keys(&tables, &hidden, "countries_of_origin");
        keys.sort();
        assert_eq!(
            keys,
            ["IQ", "UA"],
            "Iraq's 3 and the smallest other, Ukraine"
        );
        assert_eq!(working_out(&tables, &hidden), None);
    }

    #[test]
    fn primary_suppression_alone_is_worked_out_from_the_total() {
        let tables = super::super::tables(&month_with_one_small_country());
        let t = tables
            .iter()
            .position(|t| t.name == "countries_of_origin")
            .unwrap_or_else(|| panic!("missing"));
        let only_iraq: BTreeSet<CellRef> = [CellRef {
            table: t,
            row: 2,
            column: 1,
        }]
        .into();
        assert_eq!(working_out(&tables, &only_iraq), only_iraq.first().copied());
    }

    #[test]
    fn two_ones_adding_up_to_a_shown_two_are_worked_out() {
        // 1 + 1 = 2: both hidden, but each can only be 1.
        let figures = Figures {
            unique_visitors: 12,
            returning_visitors: 12,
            countries_of_origin: counts(&[("SY", 10), ("IQ", 1), ("AF", 1)]),
            ..Figures::default()
        };
        let tables = super::super::tables(&figures);
        let t = tables
            .iter()
            .position(|t| t.name == "countries_of_origin")
            .unwrap_or_else(|| panic!("missing"));
        let ones: BTreeSet<CellRef> = [1, 2]
            .map(|row| CellRef {
                table: t,
                row,
                column: 1,
            })
            .into();
        assert!(working_out(&tables, &ones).is_some());
        let hidden = hidden_cells(&tables);
        assert!(hidden.contains(&CellRef {
            table: t,
            row: 0,
            column: 1
        }));
        assert_eq!(working_out(&tables, &hidden), None);
    }

    #[test]
    fn a_mean_with_two_hidden_marks_would_give_them_away() {
        let figures = Figures {
            satisfaction: crate::domain::figures::Satisfaction {
                responses: 30,
                overall: crate::domain::figures::Ratings {
                    mean: Some((2.0 * 3.0 + 4.0 * 8.0 + 5.0 * 20.0) / 30.0),
                    distribution: [0, 0, 2, 8, 20],
                },
                staff: crate::domain::figures::Ratings {
                    mean: Some(5.0),
                    distribution: [0, 0, 0, 0, 30],
                },
            },
            ..Figures::default()
        };
        let tables = super::super::tables(&figures);
        let hidden = hidden_cells(&tables);
        assert_eq!(working_out(&tables, &hidden), None);
        assert!(hidden_keys(&tables, &hidden, "satisfaction_overall").len() >= 2);
    }

    /// Every whole assignment of at least 1 to the hidden cells of one breakdown and its total,
    /// by brute force: the values a cell can take.
    fn possible_values(values: &[u64], hidden: &[bool], total_hidden: bool) -> Vec<Vec<u64>> {
        let total: u64 = values.iter().sum();
        let shown: u64 = values
            .iter()
            .zip(hidden)
            .filter(|(_, h)| !**h)
            .map(|(v, _)| v)
            .sum();
        let slots: Vec<usize> = (0..values.len()).filter(|&i| hidden[i]).collect();
        let mut seen = vec![Vec::new(); values.len()];
        if total_hidden {
            // Nothing in this table ties them: any value of at least 1 will do.
            return vec![vec![1, 2]; values.len()];
        }
        let limit = total - shown;
        let mut assignment = vec![1u64; slots.len()];
        loop {
            let sum: u64 = assignment.iter().sum();
            if shown + sum == total {
                for (slot, value) in slots.iter().zip(&assignment) {
                    if !seen[*slot].contains(value) {
                        seen[*slot].push(*value);
                    }
                }
            }
            let Some(i) = (0..assignment.len()).find(|&i| assignment[i] < limit) else {
                break;
            };
            assignment[i] += 1;
            for a in &mut assignment[..i] {
                *a = 1;
            }
        }
        seen
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Random small breakdowns of the people: whatever is hidden cannot be worked out, by
        /// the module's own check and, for the countries, by trying every whole assignment.
        #[test]
        fn nothing_hidden_can_be_worked_out(
            countries in proptest::collection::vec(0u64..9, 1..5),
            sexes in proptest::collection::vec(0u64..30, 2..3),
        ) {
            let unique: u64 = countries.iter().sum();
            let mut sex = sexes.clone();
            let rest: u64 = sex[..1].iter().sum();
            sex[1] = unique.saturating_sub(rest.min(unique));
            sex[0] = unique - sex[1];
            let keys = ["SY", "IQ", "AF", "UA"];
            let by_country: Vec<Count> = countries
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| Count { key: keys[i].to_owned(), count: *n })
                .collect();
            let all_unknown = if unique > 0 { counts(&[("unknown", unique)]) } else { Vec::new() };
            // Every breakdown of the people adds up to them, as in real figures.
            let figures = Figures {
                unique_visitors: unique,
                returning_visitors: unique,
                participants: crate::domain::figures::Participants {
                    supported: unique,
                    ..Default::default()
                },
                countries_of_origin: by_country.clone(),
                nationality: by_country.clone(),
                languages: by_country,
                age_bands: all_unknown.clone(),
                legal_status: all_unknown,
                sex: counts(&[("f", sex[0]), ("m", sex[1])])
                    .into_iter()
                    .filter(|c| c.count > 0)
                    .collect(),
                ..Figures::default()
            };
            let tables = super::super::tables(&figures);
            let hidden = hidden_cells(&tables);
            prop_assert_eq!(working_out(&tables, &hidden), None);
            let t = tables.iter().position(|t| t.name == "countries_of_origin").unwrap_or_else(|| panic!("missing"));
            let values: Vec<u64> = figures.countries_of_origin.iter().map(|c| c.count).collect();
            let flags: Vec<bool> = (0..values.len())
                .map(|row| hidden.contains(&CellRef { table: t, row, column: 1 }))
                .collect();
            let summary_row = tables[0]
                .rows
                .iter()
                .position(|r| r[0] == Cell::Text("unique_visitors".into()))
                .unwrap_or_else(|| panic!("missing"));
            let total_hidden = hidden.contains(&CellRef { table: 0, row: summary_row, column: 1 });
            for (row, possible) in possible_values(&values, &flags, total_hidden).iter().enumerate() {
                if flags[row] {
                    prop_assert!(possible.len() > 1, "row {} of {:?} can only be {:?}", row, values, possible);
                }
            }
        }
    }
}
