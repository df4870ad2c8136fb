//! The classroom tools below the main controls: presets with commentary, the perturbation
//! experiment, phase-plane aids, export and import, and large text.

use crate::lab::presets::PRESETS;
use crate::systems::catalogue::SystemKind;
use crate::web::elements::{
    button, disable_input_with_reason, disable_with_reason, element, fieldset, labelled_row,
    reason_hint,
};
use crate::web::panels::slider::plain_number;
use crate::web::panels::tool_inputs::{checkbox, slider};
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement, HtmlInputElement, HtmlSelectElement};

pub struct ToolsPanel {
    pub preset: HtmlSelectElement,
    pub commentary: HtmlElement,
    pub epsilon: HtmlInputElement,
    epsilon_readout: HtmlElement,
    pub horizon: HtmlInputElement,
    horizon_readout: HtmlElement,
    pub perturb: HtmlElement,
    perturb_why: HtmlElement,
    /// "Or click a dot…": hidden where clicks cannot kick (3-D).
    click_hint: HtmlElement,
    /// Why a phase-plane aid is disabled, and why CSV import is.
    aids_why: HtmlElement,
    import_why: HtmlElement,
    /// Kicks every sample and sorts the growth by attention decile (any system).
    pub kick_all: HtmlElement,
    pub direction_field: HtmlInputElement,
    pub nullclines: HtmlInputElement,
    pub equilibrium: HtmlInputElement,
    pub click_sets_initial: HtmlInputElement,
    pub export_png: HtmlElement,
    pub export_png_phase: HtmlElement,
    pub export_png_fig5: HtmlElement,
    pub export_csv: HtmlElement,
    pub export_json: HtmlElement,
    pub import_csv: HtmlInputElement,
    pub clear_import: HtmlElement,
    pub big_text: HtmlElement,
}

/// The preset select and the commentary under it, in a fieldset appended to `panel`.
fn presets_group(
    document: &Document,
    panel: &HtmlElement,
) -> Result<(HtmlSelectElement, HtmlElement), JsValue> {
    let presets = fieldset(document, "Presets")?;
    let row = labelled_row(
        document,
        "preset",
        "preset",
        "Set every control to a prepared scenario, with a note on what to look for",
    )?;
    let preset: HtmlSelectElement = element(document, "select", "")?;
    preset.set_id("preset");
    preset.set_title("Set every control to a prepared scenario, with a note on what to look for");
    let none: web_sys::HtmlOptionElement = element(document, "option", "")?;
    none.set_value("");
    none.set_text_content(Some("(custom)"));
    preset.append_child(&none)?;
    for p in &PRESETS {
        let o: web_sys::HtmlOptionElement = element(document, "option", "")?;
        o.set_value(p.id);
        o.set_text_content(Some(p.title));
        preset.append_child(&o)?;
    }
    row.append_child(&preset)?;
    presets.append_child(&row)?;
    let commentary: HtmlElement = element(document, "p", "")?;
    commentary.set_id("preset-commentary");
    commentary.set_class_name("commentary");
    commentary.set_hidden(true);
    presets.append_child(&commentary)?;
    panel.append_child(&presets)?;
    Ok((preset, commentary))
}

/// The perturbation experiment's inputs.
struct PerturbationTools {
    epsilon: HtmlInputElement,
    epsilon_readout: HtmlElement,
    horizon: HtmlInputElement,
    horizon_readout: HtmlElement,
    perturb: HtmlElement,
    perturb_why: HtmlElement,
    click_hint: HtmlElement,
    kick_all: HtmlElement,
}

/// The tooltips of the kick size, the horizon, the direction field, the nullclines and CSV
/// import when they apply (when they do not, their reason replaces them).
const EPSILON_TITLE: &str =
    "Size of the kick along the orbit normal (log scale). Small kicks measure the linear response.";
const HORIZON_TITLE: &str = "How long to follow the kicked orbit, in measured periods.";
const FIELD_TITLE: &str = "Arrows showing which way the flow goes at each point";
const NULLCLINES_TITLE: &str =
    "Lines where one population stops changing: x = γ/δ (dy/dt = 0) and y = α/β (dx/dt = 0)";
const IMPORT_TITLE: &str = "Train on your own data: time, prey, predator. A header and the delimiter are detected; # starts a comment.";

/// The Perturb button's tooltip when it applies.
const PERTURB_TITLE: &str = "Kick the clean state by ε along the orbit normal at the highest- and the lowest-attention time and compare how far the orbits drift apart";

impl PerturbationTools {
    /// Builds the kick size and horizon sliders and the Perturb button into `panel`.
    fn new(document: &Document, panel: &HtmlElement) -> Result<Self, JsValue> {
        let pert = fieldset(document, "Perturbation experiment")?;
        let (row, epsilon, epsilon_readout) = slider(
            document,
            "epsilon",
            "ε kick size",
            EPSILON_TITLE,
            (-4.0, -1.0, 0.1, -3.0),
        )?;
        pert.append_child(&row)?;
        let (row, horizon, horizon_readout) = slider(
            document,
            "horizon",
            "horizon (periods)",
            HORIZON_TITLE,
            (0.25, 4.0, 0.25, 1.0),
        )?;
        pert.append_child(&row)?;
        let perturb = button(
            document,
            "perturb",
            "Perturb at highest & lowest attention",
            PERTURB_TITLE,
        )?;
        pert.append_child(&perturb)?;
        let perturb_why = reason_hint(document, &perturb)?;
        pert.append_child(&perturb_why)?;
        let hint: HtmlElement = element(document, "p", "")?;
        hint.set_class_name("hint");
        hint.set_id("perturb-click-hint");
        hint.set_text_content(Some("Or click a dot on the phase portrait to kick there."));
        pert.append_child(&hint)?;
        let kick_all = button(
            document,
            "kick-all",
            "Kick every point (by attention decile)",
            "Kick every sample of the orbit infinitesimally, at four horizons, and plot the median growth in each attention decile (any system: along the orbit normal in 2-D, in random directions in 3-D)",
        )?;
        pert.append_child(&kick_all)?;
        panel.append_child(&pert)?;
        Ok(PerturbationTools {
            epsilon,
            epsilon_readout,
            horizon,
            horizon_readout,
            perturb,
            perturb_why,
            click_hint: hint,
            kick_all,
        })
    }
}

/// The phase-plane checkboxes.
struct AidTools {
    aids_why: HtmlElement,
    direction_field: HtmlInputElement,
    nullclines: HtmlInputElement,
    equilibrium: HtmlInputElement,
    click_sets_initial: HtmlInputElement,
}

impl AidTools {
    /// Builds the phase-plane checkboxes into a fieldset appended to `panel`.
    fn new(document: &Document, panel: &HtmlElement) -> Result<Self, JsValue> {
        let aids = fieldset(document, "Phase plane")?;
        let (row, direction_field) = checkbox(
            document,
            "show-direction-field",
            "direction field",
            FIELD_TITLE,
            false,
        )?;
        aids.append_child(&row)?;
        let (row, nullclines) = checkbox(
            document,
            "show-nullclines",
            "nullclines",
            NULLCLINES_TITLE,
            false,
        )?;
        aids.append_child(&row)?;
        let (row, equilibrium) = checkbox(
            document,
            "show-equilibrium",
            "equilibrium and its type",
            "Mark the equilibrium (γ/δ, α/β) and say what kind it is",
            true,
        )?;
        aids.append_child(&row)?;
        let (row, click_sets_initial) = checkbox(
            document,
            "click-sets-initial",
            "click sets the initial state",
            "While checked, a click on the phase portrait moves the initial condition there",
            false,
        )?;
        aids.append_child(&row)?;
        let aids_why: HtmlElement = element(document, "p", "hint why")?;
        aids_why.set_id("phase-aids-why");
        aids_why.set_hidden(true);
        aids.append_child(&aids_why)?;
        panel.append_child(&aids)?;
        Ok(AidTools {
            aids_why,
            direction_field,
            nullclines,
            equilibrium,
            click_sets_initial,
        })
    }
}

/// The export buttons, the CSV file input and the way back to simulated data.
struct DataTools {
    export_png: HtmlElement,
    export_png_phase: HtmlElement,
    export_png_fig5: HtmlElement,
    export_csv: HtmlElement,
    export_json: HtmlElement,
    import_csv: HtmlInputElement,
    clear_import: HtmlElement,
    import_why: HtmlElement,
}

impl DataTools {
    /// Builds the export and import tools into a fieldset appended to `panel`.
    fn new(document: &Document, panel: &HtmlElement) -> Result<Self, JsValue> {
        let data = fieldset(document, "Export and import")?;
        let buttons: HtmlElement = element(document, "div", "")?;
        buttons.set_class_name("buttons");
        let export_png = button(
            document,
            "export-png",
            "PNG: figure",
            "Download the phase portrait, Figure 5 and the loss as one PNG",
        )?;
        let export_png_phase = button(
            document,
            "export-png-phase",
            "PNG: phase",
            "Download the phase portrait as PNG",
        )?;
        let export_png_fig5 = button(
            document,
            "export-png-normal-derivative",
            "PNG: Fig. 5",
            "Download attention and ∂V/∂n against time as PNG",
        )?;
        let export_csv = button(document, "export-csv", "CSV", "Download the per-point table (t, x, y, x_obs, y_obs, attention, dv_dn), as the CLI prints it")?;
        let export_json = button(
            document,
            "export-json",
            "JSON",
            "Download config, points and metrics, as the CLI prints them",
        )?;
        for b in [
            &export_png,
            &export_png_phase,
            &export_png_fig5,
            &export_csv,
            &export_json,
        ] {
            buttons.append_child(b)?;
        }
        data.append_child(&buttons)?;
        let (import_csv, clear_import, import_why) = import_tools(document, &data)?;
        panel.append_child(&data)?;
        Ok(DataTools {
            export_png,
            export_png_phase,
            export_png_fig5,
            export_csv,
            export_json,
            import_csv,
            clear_import,
            import_why,
        })
    }
}

/// The CSV file input and the (hidden) button back to simulated data, appended to `data`.
fn import_tools(
    document: &Document,
    data: &HtmlElement,
) -> Result<(HtmlInputElement, HtmlElement, HtmlElement), JsValue> {
    let row: HtmlElement = element(document, "div", "")?;
    row.set_class_name("import");
    let l: web_sys::HtmlLabelElement = element(document, "label", "")?;
    l.set_html_for("import-csv");
    l.set_text_content(Some("Import observations (CSV: t, prey, predator)"));
    let import_csv: HtmlInputElement = element(document, "input", "")?;
    import_csv.set_type("file");
    import_csv.set_id("import-csv");
    import_csv.set_accept(".csv,.tsv,.txt,text/csv,text/plain");
    import_csv.set_title(IMPORT_TITLE);
    row.append_child(&l)?;
    row.append_child(&import_csv)?;
    let import_why: HtmlElement = element(document, "p", "hint why")?;
    import_why.set_id("import-csv-why");
    import_why.set_hidden(true);
    row.append_child(&import_why)?;
    data.append_child(&row)?;
    let clear_import = button(
        document,
        "clear-import",
        "Back to simulated data",
        "Forget the imported series and simulate again",
    )?;
    clear_import.set_hidden(true);
    data.append_child(&clear_import)?;
    Ok((import_csv, clear_import, import_why))
}

/// The Large text button, in a fieldset appended to `panel`.
fn view_group(document: &Document, panel: &HtmlElement) -> Result<HtmlElement, JsValue> {
    let view = fieldset(document, "View")?;
    let big_text = button(
        document,
        "big-text",
        "Large text",
        "Larger text and lines for a projector",
    )?;
    big_text.set_attribute("aria-pressed", "false")?;
    view.append_child(&big_text)?;
    panel.append_child(&view)?;
    Ok(big_text)
}

impl ToolsPanel {
    /// Builds the tools into `panel`.
    pub fn new(document: &Document, panel: &HtmlElement) -> Result<Self, JsValue> {
        let (preset, commentary) = presets_group(document, panel)?;
        let pert = PerturbationTools::new(document, panel)?;
        let aids = AidTools::new(document, panel)?;
        let data = DataTools::new(document, panel)?;
        let big_text = view_group(document, panel)?;
        let tools = ToolsPanel {
            preset,
            commentary,
            epsilon: pert.epsilon,
            epsilon_readout: pert.epsilon_readout,
            horizon: pert.horizon,
            horizon_readout: pert.horizon_readout,
            perturb: pert.perturb,
            perturb_why: pert.perturb_why,
            click_hint: pert.click_hint,
            aids_why: aids.aids_why,
            import_why: data.import_why,
            kick_all: pert.kick_all,
            direction_field: aids.direction_field,
            nullclines: aids.nullclines,
            equilibrium: aids.equilibrium,
            click_sets_initial: aids.click_sets_initial,
            export_png: data.export_png,
            export_png_phase: data.export_png_phase,
            export_png_fig5: data.export_png_fig5,
            export_csv: data.export_csv,
            export_json: data.export_json,
            import_csv: data.import_csv,
            clear_import: data.clear_import,
            big_text,
        };
        tools.show_readouts();
        Ok(tools)
    }

    pub fn epsilon(&self) -> f64 {
        10f64.powf(self.epsilon.value_as_number())
    }

    /// Horizon in periods.
    pub fn horizon_periods(&self) -> f64 {
        self.horizon.value_as_number()
    }

    /// Enables what applies to `system`, and gives each control that does not its reason,
    /// visible under it and as its tooltip and description: the normal kick (the button, ε,
    /// the horizon and clicking a dot) and the direction field need a 2-D system (an orbit
    /// normal, a plane), the nullclines are drawn for Lotka–Volterra only, and CSV import reads
    /// 2-variable series.
    pub fn fit_system(&self, system: SystemKind) {
        let (title, dim) = (system.title(), system.dim());
        let planar = dim == 2;
        let kick = (!planar).then(|| {
            format!(
                "Not for the {title}: it is {dim}-D, and a kick along the orbit normal (here or by clicking a dot) needs a 2-D system, where the orbit has one normal direction. Kick every point works in {dim}-D, with kicks in random directions."
            )
        });
        disable_with_reason(
            &self.perturb,
            &self.perturb_why,
            kick.as_deref(),
            PERTURB_TITLE,
        );
        let why_id = self.perturb_why.id();
        disable_input_with_reason(&self.epsilon, kick.as_deref(), EPSILON_TITLE, &why_id);
        disable_input_with_reason(&self.horizon, kick.as_deref(), HORIZON_TITLE, &why_id);
        self.click_hint.set_hidden(!planar);

        let field = (!planar).then(|| {
            format!("Direction field: not for the {title}, whose {dim}-D flow has no plane of arrows to draw.")
        });
        let nullclines = (system != SystemKind::LotkaVolterra)
            .then(|| format!("Nullclines: drawn for Lotka–Volterra only, not for the {title}."));
        let aids_id = self.aids_why.id();
        disable_input_with_reason(
            &self.direction_field,
            field.as_deref(),
            FIELD_TITLE,
            &aids_id,
        );
        disable_input_with_reason(
            &self.nullclines,
            nullclines.as_deref(),
            NULLCLINES_TITLE,
            &aids_id,
        );
        let reasons: Vec<&str> = field
            .iter()
            .chain(&nullclines)
            .map(String::as_str)
            .collect();
        self.aids_why.set_text_content(Some(&reasons.join(" ")));
        self.aids_why.set_hidden(reasons.is_empty());

        let import = (!planar).then(|| {
            format!("CSV import reads 2-variable series (t and two columns); the {title} has {dim} variables.")
        });
        let import_id = self.import_why.id();
        disable_input_with_reason(
            &self.import_csv,
            import.as_deref(),
            IMPORT_TITLE,
            &import_id,
        );
        self.import_why.set_text_content(import.as_deref());
        self.import_why.set_hidden(import.is_none());
    }

    pub fn show_readouts(&self) {
        self.epsilon_readout
            .set_text_content(Some(&crate::number_text::sci(self.epsilon(), 0)));
        // The input holds log10(ε): screen readers would announce "−3" without this.
        let _ = self
            .epsilon
            .set_attribute("aria-valuetext", &plain_number(self.epsilon(), 2));
        self.horizon_readout
            .set_text_content(Some(&format!("{:.2}", self.horizon_periods())));
    }
}
