//! Files in and out of the page, with no server: downloads through Blob object URLs, PNG
//! snapshots of the (layered) canvases, and reading an uploaded text file.

use super::plots::layered_canvas::{context, LayeredCanvas};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Blob, BlobPropertyBag, Document, HtmlAnchorElement, HtmlCanvasElement, HtmlInputElement, Url,
};

/// Offers `text` as a download named `filename`.
pub fn download_text(
    document: &Document,
    text: &str,
    filename: &str,
    mime: &str,
) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let result = download_url(document, &url, filename);
    Url::revoke_object_url(&url)?;
    result
}

/// Offers a URL (object or data URL) as a download named `filename`.
pub fn download_url(document: &Document, url: &str, filename: &str) -> Result<(), JsValue> {
    let a: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(url);
    a.set_download(filename);
    a.style().set_property("display", "none")?;
    let body = document.body().ok_or("no body")?;
    body.append_child(&a)?;
    a.click();
    body.remove_child(&a)?;
    Ok(())
}

/// One canvas holding the cold and hot layers of each plot, side by side on a white background.
pub fn composite(
    document: &Document,
    plots: &[&LayeredCanvas],
) -> Result<HtmlCanvasElement, JsValue> {
    let gap = 16.0;
    let width: f64 = plots.iter().map(|p| p.size().0).sum::<f64>()
        + gap * (plots.len().saturating_sub(1)) as f64;
    let height = plots.iter().map(|p| p.size().1).fold(0.0, f64::max);
    let out: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    out.set_width(width.max(1.0) as u32);
    out.set_height(height.max(1.0) as u32);
    let ctx = context(&out)?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, width, height);
    let mut x = 0.0;
    for p in plots {
        ctx.draw_image_with_html_canvas_element(&p.cold, x, 0.0)?;
        ctx.draw_image_with_html_canvas_element(&p.hot, x, 0.0)?;
        x += p.size().0 + gap;
    }
    Ok(out)
}

/// Downloads a PNG of the given plots.
pub fn download_png(
    document: &Document,
    plots: &[&LayeredCanvas],
    filename: &str,
) -> Result<(), JsValue> {
    let canvas = composite(document, plots)?;
    let url = canvas.to_data_url_with_type("image/png")?;
    download_url(document, &url, filename)
}

/// Reads the first file chosen in `input` as text and calls `done(name, text)` when it arrives.
pub fn read_chosen_file(
    input: &HtmlInputElement,
    done: impl FnOnce(String, Result<String, String>) + 'static,
) -> Result<(), JsValue> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(());
    };
    let name = file.name();
    let reader = web_sys::FileReader::new()?;
    let reader_in_callback = reader.clone();
    let mut done = Some(done);
    let onload = Closure::<dyn FnMut()>::new(move || {
        let text = reader_in_callback
            .result()
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| "the file is not text".to_string());
        if let Some(done) = done.take() {
            done(name.clone(), text);
        }
    });
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    reader.set_onerror(Some(onload.as_ref().unchecked_ref()));
    onload.forget(); // one closure per chosen file; it is small and runs once
    reader.read_as_text(&file)?;
    Ok(())
}
