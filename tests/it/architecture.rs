//! Guards the layout the README draws: no import cycle between the library's modules or its
//! folders, the science core free of the browser's crates, and no file in `src/` over 500 lines.
//!
//! The module graph is read from the sources: every `crate::a::b::…` path (in `use` lines and
//! inline) and every `super::…` path is an edge from the file it is written in to the file of the
//! longest module prefix it names. A folder's `mod.rs` re-exports count as edges too, so a file
//! must import its siblings directly, never through its own folder's re-exports (that would be a
//! cycle: folder → file → folder).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable src/") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a library file: `src/lab/config.rs` → `["lab", "config"]`,
/// `src/models/self_attention/mod.rs` → `["models", "self_attention"]`, `src/lib.rs` → `[]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src/");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The identifiers of a path written after `crate::` or `super::`, with one level of braces
/// expanded: `a::{b, c::d}` → `[a, b]`, `[a, c, d]`.
fn paths_after(text: &str, marker: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices(marker) {
        let rest = &text[at + marker.len()..];
        let head_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let head: Vec<String> = rest[..head_len]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if rest[head_len..].starts_with('{') {
            let close = rest[head_len..]
                .find('}')
                .map_or(rest.len(), |c| head_len + c);
            for item in rest[head_len + 1..close].split(',') {
                let mut path = head.clone();
                path.extend(
                    item.trim()
                        .split("::")
                        .map(|s| s.split_whitespace().next().unwrap_or("").to_owned())
                        .filter(|s| !s.is_empty() && s != "self"),
                );
                out.push(path);
            }
        } else {
            out.push(head);
        }
    }
    out
}

struct ModuleGraph {
    /// Module path → the modules it imports from.
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
    lines: BTreeMap<Vec<String>, (PathBuf, usize)>,
    texts: BTreeMap<Vec<String>, String>,
}

impl ModuleGraph {
    fn read() -> ModuleGraph {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        // The CLI is its own crate (its `crate::` is not the library's).
        files.retain(|f| !f.starts_with(src.join("bin")));
        let mut texts = BTreeMap::new();
        let mut lines = BTreeMap::new();
        for file in &files {
            let text = fs::read_to_string(file).expect("readable source");
            let module = module_of(&src, file);
            lines.insert(module.clone(), (file.clone(), text.lines().count()));
            texts.insert(module, text);
        }
        let known: BTreeSet<Vec<String>> = texts.keys().cloned().collect();
        let mut edges = BTreeMap::new();
        for (module, text) in &texts {
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let mut targets = BTreeSet::new();
            let parent = module[..module.len().saturating_sub(1)].to_vec();
            let is_folder = lines[module].0.ends_with("mod.rs");
            let here = if is_folder { module.clone() } else { parent };
            let candidates = paths_after(&code, "crate::").into_iter().chain(
                paths_after(&code, "super::").into_iter().map(|p| {
                    let mut base = here[..here.len().saturating_sub(1)].to_vec();
                    base.extend(p);
                    base
                }),
            );
            for path in candidates {
                // The longest prefix that is a module file.
                if let Some(target) = (1..=path.len())
                    .rev()
                    .map(|k| path[..k].to_vec())
                    .find(|p| known.contains(p))
                {
                    if &target != module {
                        targets.insert(target);
                    }
                }
            }
            edges.insert(module.clone(), targets);
        }
        ModuleGraph {
            edges,
            lines,
            texts,
        }
    }

    /// A cycle in `edges`, if there is one, as the modules along it.
    fn find_cycle<N: Ord + Clone>(edges: &BTreeMap<N, BTreeSet<N>>) -> Option<Vec<N>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Open,
            Done,
        }
        fn visit<N: Ord + Clone>(
            node: &N,
            edges: &BTreeMap<N, BTreeSet<N>>,
            marks: &mut BTreeMap<N, Mark>,
            stack: &mut Vec<N>,
        ) -> Option<Vec<N>> {
            match marks.get(node) {
                Some(Mark::Done) => return None,
                Some(Mark::Open) => {
                    let start = stack.iter().position(|n| n == node).expect("on the stack");
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(node.clone());
                    return Some(cycle);
                }
                None => {}
            }
            marks.insert(node.clone(), Mark::Open);
            stack.push(node.clone());
            for next in edges.get(node).into_iter().flatten() {
                if let Some(cycle) = visit(next, edges, marks, stack) {
                    return Some(cycle);
                }
            }
            stack.pop();
            marks.insert(node.clone(), Mark::Done);
            None
        }
        let mut marks = BTreeMap::new();
        for node in edges.keys() {
            if let Some(cycle) = visit(node, edges, &mut marks, &mut Vec::new()) {
                return Some(cycle);
            }
        }
        None
    }
}

fn show(cycle: &[Vec<String>]) -> String {
    cycle
        .iter()
        .map(|m| format!("crate::{}", m.join("::")))
        .collect::<Vec<_>>()
        .join(" → ")
}

#[test]
fn no_import_cycle_between_modules() {
    let graph = ModuleGraph::read();
    assert!(
        graph.edges.len() > 40,
        "the scan found only {} modules",
        graph.edges.len()
    );
    let edge_count: usize = graph.edges.values().map(BTreeSet::len).sum();
    assert!(
        edge_count > 80,
        "the scan found only {edge_count} imports: is the parser broken?"
    );
    if let Some(cycle) = ModuleGraph::find_cycle(&graph.edges) {
        panic!("import cycle: {}", show(&cycle));
    }
}

#[test]
fn no_import_cycle_between_folders() {
    let graph = ModuleGraph::read();
    let mut folders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &graph.edges {
        let Some(a) = from.first() else { continue };
        for to in targets {
            if let Some(b) = to.first() {
                if a != b {
                    folders.entry(a.clone()).or_default().insert(b.clone());
                }
            }
        }
    }
    if let Some(cycle) = ModuleGraph::find_cycle(&folders) {
        panic!("import cycle between folders: {}", cycle.join(" → "));
    }
    // The layers the README draws: nothing below imports from above.
    let layers = [
        "naming",
        "number_text",
        "systems",
        "dynamics",
        "measures",
        "models",
        "training",
        "observations",
        "analysis",
        "estimation",
        "lab",
        "experiments",
        "web",
    ];
    for (from, targets) in &folders {
        let rank = |f: &str| layers.iter().position(|l| *l == f);
        for to in targets {
            if let (Some(a), Some(b)) = (rank(from), rank(to)) {
                assert!(b < a, "{from} imports from {to}, a layer above it");
            }
        }
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let edges: BTreeMap<&str, BTreeSet<&str>> = [
        ("a", BTreeSet::from(["b"])),
        ("b", BTreeSet::from(["c"])),
        ("c", BTreeSet::from(["a"])),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        ModuleGraph::find_cycle(&edges),
        Some(vec!["a", "b", "c", "a"])
    );
    let acyclic: BTreeMap<&str, BTreeSet<&str>> =
        [("a", BTreeSet::from(["b"]))].into_iter().collect();
    assert_eq!(ModuleGraph::find_cycle(&acyclic), None);
}

#[test]
fn paths_expand_one_level_of_braces() {
    assert_eq!(
        paths_after("use crate::lab::{config::Config, session};", "crate::"),
        vec![
            vec!["lab".to_string(), "config".into(), "Config".into()],
            vec!["lab".to_string(), "session".into()],
        ]
    );
}

#[test]
fn no_source_file_over_500_lines() {
    let graph = ModuleGraph::read();
    let long: Vec<String> = graph
        .lines
        .values()
        .filter(|(_, n)| *n > 500)
        .map(|(f, n)| format!("{} ({n} lines)", f.display()))
        .collect();
    assert!(long.is_empty(), "files over 500 lines: {long:?}");
}

#[test]
fn only_the_web_layer_touches_the_browser() {
    let graph = ModuleGraph::read();
    for (module, text) in &graph.texts {
        if module.first().map(String::as_str) == Some("web") || module.is_empty() {
            continue;
        }
        for browser in ["web_sys", "js_sys", "wasm_bindgen", "plotters_canvas"] {
            assert!(
                !text.contains(browser),
                "crate::{} uses {browser}: the science core must stay free of the browser",
                module.join("::")
            );
        }
    }
}
