//! The layering of `src/`, enforced: a module uses only its own layer and those below it, no
//! front door uses another, and the core uses no HTTP, store, XML or template crate.
//!
//! Layers, bottom up: `core`; `config`, `store`, `delivery`, `signing`, `directory`; `web`;
//! `oauth` (what the OAuth doors share, with the token endpoint); the front doors `rest`,
//! `oidc`, `saml`, `grants`, `ui`, `hid`; and on top the composition (`app.rs`, `lib.rs`, `main.rs`, `dev`).

use std::collections::BTreeSet;
use std::path::Path;

const DOORS: [&str; 6] = ["rest", "oidc", "saml", "grants", "ui", "hid"];

/// Crates the core must not use.
const NOT_IN_CORE: [&str; 8] = [
    "axum", "tower", "hyper", "redis", "reqwest", "samael", "askama", "sqlx",
];

fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "core" => 1,
        "config" | "store" | "delivery" | "signing" | "directory" => 2,
        "web" => 3,
        "oauth" => 4,
        m if DOORS.contains(&m) => 5,
        "app" | "dev" | "main" | "lib" => 6,
        _ => return None,
    })
}

/// The top-level module a file under `src/` belongs to.
fn module_of(path: &str) -> &str {
    let first = path.split('/').next().unwrap_or(path);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// Every `crate::<module>` a source text names.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        // `idbroker::crate::…` does not exist; skip `$crate::` in macros.
        if text[..i].ends_with('$') {
            continue;
        }
        let rest = &text[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
        // `use crate::{a, b}`.
        if let Some(group) = rest.strip_prefix('{') {
            for part in group.split('}').next().unwrap_or("").split(',') {
                let name = part.trim().split("::").next().unwrap_or("").to_owned();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

/// What points the wrong way in `files` (path under `src/`, text).
fn violations(files: &[(String, String)]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, text) in files {
        let from = module_of(path);
        let Some(from_layer) = layer(from) else {
            continue;
        };
        for to in named_modules(text) {
            let Some(to_layer) = layer(&to) else {
                continue;
            };
            let across_doors = DOORS.contains(&from) && DOORS.contains(&to.as_str()) && to != from;
            if to_layer > from_layer || across_doors {
                out.insert((path.clone(), to));
            }
        }
        if from == "core" {
            for krate in NOT_IN_CORE {
                if text.contains(&format!("{krate}::")) || text.contains(&format!("use {krate}")) {
                    out.insert((path.clone(), format!("crate {krate}")));
                }
            }
        }
    }
    out
}

fn sources(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            out.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn dependencies_point_inward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    assert!(files.len() > 50);
    let found = violations(&files);
    assert!(
        found.is_empty(),
        "imports that point up a layer or across doors: {found:?}"
    );
}

#[test]
fn the_check_sees_what_it_must_refuse() {
    let file = |path: &str, text: &str| (path.to_owned(), text.to_owned());
    let found = violations(&[
        file("core/x.rs", "use crate::web::page;\nuse axum::Router;"),
        file(
            "store/y.rs",
            "let c = crate::config::Config::default(); crate::ui::cookie();",
        ),
        file("rest/z.rs", "use crate::{core::login, oidc::issue};"),
        file(
            "web/w.rs",
            "use crate::oauth::OAuth; use crate::app::AppState;",
        ),
        file(
            "oauth/v.rs",
            "use crate::grants::DirectGrant; use crate::web::Shared;",
        ),
        file(
            "ui/mod.rs",
            "use crate::web::AppState; use crate::ui::pages;",
        ),
    ]);
    let expected: BTreeSet<(String, String)> = [
        ("core/x.rs", "web"),
        ("core/x.rs", "crate axum"),
        ("store/y.rs", "ui"),
        ("rest/z.rs", "oidc"),
        ("web/w.rs", "oauth"),
        ("web/w.rs", "app"),
        ("oauth/v.rs", "grants"),
    ]
    .iter()
    .map(|(f, m)| ((*f).to_owned(), (*m).to_owned()))
    .collect();
    assert_eq!(found, expected);
}
