//! The evaluation report as it is printed: every word already in the report's language, every
//! number already written the way that language writes it, hidden counts already hidden. The
//! export builds it from the figures (`export::printed_report`); the PDF renderer only lays it
//! out, so the renderer never sees a count it must not show.

/// A printable report of one period's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The document's title (title and period), for the PDF's properties.
    pub document_title: String,
    /// The bureau's name, above the title.
    pub bureau: String,
    /// The report's title.
    pub title: String,
    /// The period, written out.
    pub period: String,
    /// The key numbers, one per line.
    pub summary: Vec<Line>,
    /// Said instead of the tables when nothing was recorded in the period.
    pub nothing_recorded: Option<String>,
    /// The tables, charts and series, in order.
    pub sections: Vec<Section>,
    /// Notes at the end: how small counts are hidden, what "other" holds.
    pub notes: Vec<String>,
}

/// A label and its value, both written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// What it is.
    pub label: String,
    /// The value as printed (a number, or the word for a hidden count).
    pub value: String,
}

/// One part of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    /// A breakdown drawn as horizontal bars.
    Bars(BarChart),
    /// Columns of visits and people per month.
    Monthly(MonthlyChart),
    /// A table of rows and columns.
    Grid(Grid),
}

/// A breakdown as horizontal bars, longest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarChart {
    /// Its heading.
    pub title: String,
    /// Its rows.
    pub bars: Vec<Bar>,
}

/// One row of a bar chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// What the row counts.
    pub label: String,
    /// The count as printed.
    pub value: String,
    /// The bar's length in counts; `None` draws no bar (a hidden count).
    pub length: Option<u64>,
}

/// Visits and people per month as pairs of columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyChart {
    /// Its heading.
    pub title: String,
    /// The names of the two columns: visits, then people.
    pub legend: [String; 2],
    /// One entry a month.
    pub months: Vec<MonthColumns>,
}

/// One month of the monthly chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthColumns {
    /// The month, short.
    pub label: String,
    /// The visits as printed above the column.
    pub visits_text: String,
    /// The visits column's height in counts; `None` draws none (hidden).
    pub visits: Option<u64>,
    /// The people column's height in counts; `None` draws none (hidden).
    pub people: Option<u64>,
}

/// A table with a header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// Its heading.
    pub title: String,
    /// The column headings.
    pub header: Vec<String>,
    /// The rows, every cell written out.
    pub rows: Vec<Vec<String>>,
}

/// A whole number as the language writes it: `1 234` in Bulgarian, `1,234` in English.
pub fn format_count(n: u64, locale: &str) -> String {
    let digits = n.to_string();
    let separator = if locale == "bg" { '\u{00A0}' } else { ',' };
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// A mean with two decimals as the language writes it: `4,18` in Bulgarian, `4.18` in English.
pub fn format_mean(x: f64, locale: &str) -> String {
    let text = format!("{x:.2}");
    if locale == "bg" {
        text.replace('.', ",")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_way_each_language_writes_them() {
        assert_eq!(format_count(7, "bg"), "7");
        assert_eq!(format_count(1234, "bg"), "1\u{00A0}234");
        assert_eq!(format_count(1_234_567, "en"), "1,234,567");
        assert_eq!(format_count(123, "en"), "123");
        assert_eq!(format_mean(4.18, "bg"), "4,18");
        assert_eq!(format_mean(4.175_01, "en"), "4.18");
    }
}
