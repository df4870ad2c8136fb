//! The "Data" group at the top of the control panel: which observations the lab analyses
//! (simulated, the built-in Hudson's Bay lynx–hare series, or the visitor's file), where they
//! come from, the file input, and, for a file, which column is time, prey and predator.

use crate::lab::url_state::LinkedData;
use crate::observations::csv_import::ColumnLayout;
use crate::web::elements::{element, fieldset, labelled_row};
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement, HtmlOptionElement, HtmlSelectElement};

/// The select's options: value, text, tooltip.
const CHOICES: [(LinkedData, &str, &str); 3] = [
    (
        LinkedData::Simulated,
        "Simulated",
        "The system's orbit with the sliders' rates, plus seeded noise",
    ),
    (
        LinkedData::LynxHare,
        "Hudson's Bay lynx and hare, 1900–1920",
        "21 yearly counts of pelts (thousands), built in: hare = prey, lynx = predator",
    ),
    (
        LinkedData::File,
        "Your file",
        "Observations from a CSV file of your own: time, prey, predator",
    ),
];

/// The column roles a file's columns are mapped to, with their select ids.
pub const ROLES: [(&str, &str); 3] = [
    ("column-time", "time"),
    ("column-prey", "prey (x)"),
    ("column-predator", "predator (y)"),
];

/// The data select, the source line, and the column choice for a file.
pub struct DataPanel {
    /// `#data`: simulated, lynx-hare or file.
    pub select: HtmlSelectElement,
    /// `#data-source`: where the observations come from and how they were read.
    pub source: HtmlElement,
    /// The rows of the column selects, shown for a file.
    columns_box: HtmlElement,
    /// Time, prey and predator: which column of the file each is (values are 1-based numbers).
    pub columns: [HtmlSelectElement; 3],
}

impl DataPanel {
    /// Builds the group into the control panel, before its first fieldset (the "Noise and data"
    /// sliders), and moves the file input's row (`import_row`) into it.
    pub fn new(
        document: &Document,
        panel: &HtmlElement,
        import_row: Option<HtmlElement>,
    ) -> Result<Self, JsValue> {
        let group = fieldset(document, "Data")?;
        group.set_id("data-group");
        let row = labelled_row(
            document,
            "data",
            "observations",
            "Which observations to analyse",
        )?;
        let select: HtmlSelectElement = element(document, "select", "")?;
        select.set_id("data");
        select.set_title("Which observations to analyse");
        for (choice, text, title) in CHOICES {
            let option: HtmlOptionElement = element(document, "option", "")?;
            option.set_value(choice.name());
            option.set_text_content(Some(text));
            option.set_title(title);
            select.append_child(&option)?;
        }
        row.append_child(&select)?;
        group.append_child(&row)?;
        let source: HtmlElement = element(document, "p", "hint")?;
        source.set_id("data-source");
        source.set_hidden(true);
        group.append_child(&source)?;
        if let Some(import_row) = import_row {
            group.append_child(&import_row)?;
        }
        let columns_box: HtmlElement = element(document, "div", "")?;
        columns_box.set_id("data-columns");
        columns_box.set_hidden(true);
        let columns = [0, 1, 2].map(|i| column_select(document, &columns_box, i));
        let [a, b, c] = columns;
        let columns = [a?, b?, c?];
        group.append_child(&columns_box)?;
        let first = panel.query_selector("fieldset")?;
        panel.insert_before(&group, first.as_ref().map(|e| e.as_ref()))?;
        Ok(DataPanel {
            select,
            source,
            columns_box,
            columns,
        })
    }

    /// The choice in the select (simulated if it cannot be read).
    pub fn choice(&self) -> LinkedData {
        self.select.value().parse().unwrap_or_default()
    }

    /// Shows `choice` in the select and `source` (or nothing) under it.
    pub fn show(&self, choice: LinkedData, source: Option<&str>) {
        self.select.set_value(choice.name());
        self.source.set_text_content(source);
        self.source.set_hidden(source.is_none());
        if choice != LinkedData::File {
            self.columns_box.set_hidden(true);
        }
    }

    /// Offers the file's columns in the three selects, showing the ones read (`layout`), or
    /// hides them (`None`).
    pub fn show_columns(&self, document: &Document, layout: Option<&ColumnLayout>) {
        let Some(layout) = layout else {
            self.columns_box.set_hidden(true);
            return;
        };
        for (select, &chosen) in self.columns.iter().zip(&layout.observed) {
            select.set_inner_html("");
            for (i, name) in layout.names.iter().enumerate() {
                if let Ok(option) = element::<HtmlOptionElement>(document, "option", "") {
                    option.set_value(&(i + 1).to_string());
                    option.set_text_content(Some(name));
                    let _ = select.append_child(&option);
                }
            }
            select.set_value(&(chosen + 1).to_string());
        }
        self.columns_box.set_hidden(false);
    }

    /// The chosen columns as 1-based numbers (time, prey, predator).
    pub fn chosen_columns(&self) -> [String; 3] {
        [0, 1, 2].map(|i| self.columns[i].value())
    }
}

/// One labelled column select, appended to `parent`.
fn column_select(
    document: &Document,
    parent: &HtmlElement,
    role: usize,
) -> Result<HtmlSelectElement, JsValue> {
    let (id, label) = ROLES[role];
    let help = format!("The file's column read as {label}");
    let row = labelled_row(document, id, label, &help)?;
    let select: HtmlSelectElement = element(document, "select", "")?;
    select.set_id(id);
    select.set_title(&help);
    row.append_child(&select)?;
    parent.append_child(&row)?;
    Ok(select)
}
