//! Which observations the lab analyses: simulated ones, the built-in Hudson's Bay lynx–hare
//! series, or the visitor's file (with a visible choice of which column is time, prey and
//! predator), and the `data=`/`fit=` keys of links. New data get a new session on the current
//! config; data that cannot be used leave everything as it was, with a message.

use super::fitting::{Loaded, LoadedFile};
use super::Lab;
use crate::lab::session::Session;
use crate::lab::url_state::{parse_data_keys, LinkedData, LinkedFit};
use crate::observations::csv_import::{
    column_layout, parse_observations_csv, parse_observations_csv_with, ColumnLayout,
    ImportedSeries,
};
use crate::observations::lynx_hare;
use crate::web::plots::fit_plots::Observed;

/// The built-in series, as the lab analyses it.
fn lynx_hare_data() -> Loaded {
    Loaded {
        series: lynx_hare::series(),
        source: lynx_hare::SOURCE.to_string(),
        time_label: "year".into(),
        names: ["hare (prey, x)".into(), "lynx (predator, y)".into()],
    }
}

/// A file's series, named after its header where it has one.
fn file_data(name: &str, series: ImportedSeries, layout: &ColumnLayout) -> Loaded {
    let [t, x, y] = layout.observed;
    let named = |c: usize, role: &str| match layout.has_header {
        true => format!("{} ({role})", layout.names[c]),
        false => role.to_string(),
    };
    Loaded {
        series,
        source: format!("your file {name}"),
        time_label: match layout.has_header {
            true => layout.names[t].clone(),
            false => "time".into(),
        },
        names: [named(x, "prey, x"), named(y, "predator, y")],
    }
}

impl Lab {
    /// The data select changed.
    pub fn choose_data(&mut self) {
        let choice = self.fit.data.choice();
        let result = match choice {
            LinkedData::Simulated => self.use_simulated(),
            LinkedData::LynxHare => self.load(lynx_hare_data(), LinkedData::LynxHare),
            LinkedData::File => return self.choose_file(),
        };
        match result {
            Ok(()) => self.notice.hide(),
            Err(e) => {
                self.notice.show(&format!(
                    "Could not use those data: {e}. The previous data are kept."
                ));
                self.show_data_choice();
            }
        }
    }

    /// "Your file": the file read last, or the file dialog when there is none yet.
    fn choose_file(&mut self) {
        let Some(file) = self.fit.file.take() else {
            self.show_data_choice(); // until a file has been read
            self.tools.import_csv.click();
            return;
        };
        let columns = file.layout.observed.map(|c| (c + 1).to_string());
        let result = parse_observations_csv_with(&file.text, Some(&columns))
            .map_err(|e| e.to_string())
            .and_then(|series| {
                let loaded = file_data(&file.name, series, &file.layout);
                self.load(loaded, LinkedData::File)
            });
        if let Err(e) = result {
            self.notice.show(&format!(
                "Could not use {}: {e}. The previous data are kept.",
                file.name
            ));
            self.show_data_choice();
        }
        self.fit
            .data
            .show_columns(&self.document, Some(&file.layout));
        self.fit.file = Some(file);
    }

    /// Reads an uploaded file with its columns found by header, and analyses it; returns how it
    /// was read. On error nothing changes.
    pub(super) fn load_file(&mut self, name: &str, text: String) -> Result<String, String> {
        let series = parse_observations_csv(&text).map_err(|e| e.to_string())?;
        let layout = column_layout(&text).map_err(|e| e.to_string())?;
        let description = series.description.clone();
        self.load(file_data(name, series, &layout), LinkedData::File)?;
        self.fit.data.show_columns(&self.document, Some(&layout));
        self.fit.file = Some(LoadedFile {
            name: name.to_string(),
            text,
            layout,
        });
        Ok(description)
    }

    /// A column select changed: reads the file again with the chosen columns, or says why not
    /// and puts the selects back.
    pub fn columns_changed(&mut self) {
        let Some(file) = self.fit.file.take() else {
            return;
        };
        let chosen = self.fit.data.chosen_columns();
        let numbers = chosen.clone().map(|c| c.parse::<usize>().unwrap_or(0));
        let distinct =
            numbers[0] != numbers[1] && numbers[1] != numbers[2] && numbers[0] != numbers[2];
        let result = match distinct {
            false => Err("time, prey and predator need three different columns".to_string()),
            true => {
                parse_observations_csv_with(&file.text, Some(&chosen)).map_err(|e| e.to_string())
            }
        };
        let mut layout = file.layout.clone();
        layout.observed = numbers.map(|c| c.saturating_sub(1));
        let result = result.and_then(|series| {
            let loaded = file_data(&file.name, series, &layout);
            self.load(loaded, LinkedData::File)
        });
        match result {
            Ok(()) => {
                self.notice.hide();
                self.fit.file = Some(LoadedFile { layout, ..file });
            }
            Err(e) => {
                self.notice.show(&format!(
                    "Those columns cannot be read: {e}. The previous columns are kept."
                ));
                self.fit
                    .data
                    .show_columns(&self.document, Some(&file.layout));
                self.fit.file = Some(file);
            }
        }
    }

    /// Analyses `loaded` from now on: a new session on the current config (the rates from
    /// before any fit) trains on it, and the Fit panel offers to fit it. On error nothing
    /// changes.
    pub(super) fn load(&mut self, loaded: Loaded, choice: LinkedData) -> Result<(), String> {
        let mut session = Session::new(self.linked_config()).map_err(|e| e.to_string())?;
        session
            .import(loaded.series.clone())
            .map_err(|e| e.to_string())?;
        self.session = session;
        self.fit.forget();
        self.fit.set_times(&loaded.series.times);
        self.fit.loaded = Some(loaded);
        self.fit.choice = choice;
        self.session_replaced();
        self.show_data_choice();
        self.show_fit_panel();
        Ok(())
    }

    /// Back to simulated observations from the current config (the rates from before any fit).
    pub(super) fn use_simulated(&mut self) -> Result<(), String> {
        let session = Session::new(self.linked_config()).map_err(|e| e.to_string())?;
        self.session = session;
        self.fit.forget();
        self.fit.loaded = None;
        self.fit.choice = LinkedData::Simulated;
        self.session_replaced();
        self.show_data_choice();
        self.show_fit_panel();
        self.draw_curve();
        Ok(())
    }

    /// The data select and the source line show what is analysed.
    fn show_data_choice(&self) {
        let source = self
            .fit
            .loaded
            .as_ref()
            .map(|l| format!("Source: {}. Read as {}.", l.source, l.series.description));
        self.fit.data.show(self.fit.choice, source.as_deref());
    }

    /// Shows the Fit panel for real data (what would be fitted, and whether it can be), or
    /// hides it.
    pub(super) fn show_fit_panel(&mut self) {
        let Some(loaded) = &self.fit.loaded else {
            self.fit.panel.section.set_hidden(true);
            return;
        };
        let kind = self.session.config().system;
        let times = &loaded.series.times;
        let intro = format!(
            "{}: its rates, its initial state at t = {} and one noise scale per observed variable, fitted to the {} observations from t = {} to {} ({}), from several starting points, as `lyapunov-lens fit` does.",
            kind.title(),
            times[0],
            times.len(),
            times[0],
            times[times.len() - 1],
            loaded.source
        );
        let panel = &self.fit.panel;
        panel.section.set_hidden(false);
        panel.show_intro(&intro);
        let why = self.fitter().err();
        self.fit.cannot_fit.clone_from(&why);
        self.show_fit_buttons();
        self.fit.panel.show_weighting(None, 0, false, false);
        let status = match &why {
            None => "Not fitted yet: the target is the orbit through the first observation with the sliders' rates. Fit the system to make the fitted orbit the target.".to_string(),
            Some(why) => format!("These data cannot be fitted: {why}."),
        };
        self.fit.panel.show_status("idle", &status);
        self.fit.panel.show_result(&self.document, None);
        self.fit.shown_system = Some(kind);
        self.layout_fit_plots();
    }

    /// Fits the Fit panel's canvases to their width (when shown) and redraws them.
    pub(super) fn layout_fit_plots(&mut self) {
        if self.fit.panel.section.hidden() {
            return;
        }
        let scale = self.plots.phase.canvas.text_scale;
        let panel = &mut self.fit.panel;
        for canvas in [&mut panel.orbit.canvas, &mut panel.residuals.canvas] {
            canvas.text_scale = scale;
            canvas.fit();
        }
        if let Some(loaded) = &self.fit.loaded {
            let observed = Observed {
                times: &loaded.series.times,
                values: &loaded.series.observations,
                names: [&loaded.names[0], &loaded.names[1]],
                time_label: &loaded.time_label,
            };
            if let Err(e) = panel.orbit.draw_cold(&observed) {
                self.notice.show(&format!("Drawing failed: {e}"));
            }
        }
        if let Some(fit) = self.fit.result.take() {
            self.draw_residuals(&fit);
            self.fit.result = Some(fit);
        }
        self.draw_curve();
    }

    /// The data and fit a link asks for (`data=`, `fit=`): loads them and starts the fit;
    /// returns notices about what could not be done.
    pub(super) fn open_data(&mut self, hash: &str) -> Vec<String> {
        let (data, fit, mut notices) = parse_data_keys(hash);
        let loaded = match data {
            LinkedData::Simulated if self.fit.choice == LinkedData::Simulated => Ok(()),
            LinkedData::Simulated => self.use_simulated(),
            LinkedData::LynxHare => self.load(lynx_hare_data(), data),
            LinkedData::File => {
                notices.push(
                    "data=file: a link cannot carry your file; choose it again under Data".into(),
                );
                return notices;
            }
        };
        if let Err(e) = loaded {
            notices.push(format!("data={data} could not be used ({e})"));
            return notices;
        }
        if fit != LinkedFit::None {
            match self.start_fit() {
                Ok(()) => self.fit.then_weight = fit == LinkedFit::Attention,
                Err(e) => notices.push(format!("fit={}: cannot fit ({e})", fit.name())),
            }
        }
        notices
    }
}
