//! What `trunk build` cannot do itself, done to the built site afterwards:
//!
//! 1. **Content-Security-Policy.** A `<meta http-equiv="Content-Security-Policy">`
//!    tag goes first in `<head>` (before any script). Trunk injects an inline
//!    `<script type="module">` loader whose text depends on the build (hashed
//!    file names, public URL), so each inline script is allowed by the
//!    SHA-256 of its exact text rather than by `'unsafe-inline'`. WebAssembly
//!    needs `'wasm-unsafe-eval'`; nothing needs `'unsafe-eval'`. Only the
//!    release build gets the policy: `trunk serve` injects a live-reload
//!    script of its own, which the policy would block.
//! 2. **Build version for the service worker.** `sw.js` and `register-sw.js`
//!    (copied from `public/`) carry a placeholder; it becomes a hash of every
//!    file of the site, so a new deploy has a byte-different `sw.js` (the
//!    browser installs it) and a new cache name (the old cache is deleted on
//!    activation). Left unstamped (`trunk serve`), the worker is not
//!    registered at all.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The placeholder in `public/sw.js` and `public/register-sw.js`.
pub const BUILD_PLACEHOLDER: &str = "__STENOGRAM_BUILD__";

/// The files that carry the placeholder; `sw.js` must have it.
const STAMPED: [&str; 2] = ["sw.js", "register-sw.js"];

/// The policy, before the hashes of the inline scripts are added to
/// `script-src`. No third-party origin anywhere.
const POLICY: [(&str, &str); 11] = [
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'none'"),
];

/// What [`finish`] did, for the build log.
pub struct Finished {
    pub csp: String,
    pub version: String,
}

/// Adds the CSP to `dist/index.html`, then stamps the build version.
pub fn finish(dist: &Path) -> Result<Finished> {
    let index = dist.join("index.html");
    let html =
        std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let (html, csp) =
        add_csp(&html).with_context(|| format!("adding the CSP to {}", index.display()))?;
    std::fs::write(&index, html).with_context(|| format!("writing {}", index.display()))?;

    let version = site_version(dist)?;
    for name in STAMPED {
        let path = dist.join(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && name != "sw.js" => continue,
            Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
        };
        if name == "sw.js" && !text.contains(BUILD_PLACEHOLDER) {
            bail!(
                "{} has no {BUILD_PLACEHOLDER} to stamp the build version into",
                path.display()
            );
        }
        std::fs::write(&path, text.replace(BUILD_PLACEHOLDER, &version))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(Finished { csp, version })
}

/// The CSP for a page whose inline scripts are `scripts` (their exact text).
pub fn policy<'a>(scripts: impl IntoIterator<Item = &'a str>) -> String {
    let hashes: Vec<String> = scripts
        .into_iter()
        .map(|text| {
            let digest = Sha256::digest(text.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    POLICY
        .iter()
        .map(|(directive, sources)| {
            if *directive == "script-src" && !hashes.is_empty() {
                format!("{directive} {sources} {}", hashes.join(" "))
            } else {
                format!("{directive} {sources}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Returns `html` with a CSP meta tag first in `<head>`, and the policy.
///
/// Fails on what the policy would block and cannot allow by hash: inline
/// `<style>` elements and `style="..."` attributes (style-src has no
/// `'unsafe-inline'`), event-handler attributes, and a CSP that is already there.
pub fn add_csp(html: &str) -> Result<(String, String)> {
    let lower = without_comments(&html.to_ascii_lowercase());
    if lower.contains("http-equiv=\"content-security-policy\"") {
        bail!("it already has a Content-Security-Policy");
    }
    if find_tag(&lower, "style", 0).is_some() {
        bail!("it has an inline <style> element, which style-src 'self' blocks");
    }
    let scripts = inline_scripts(html, &lower)?;
    for tag in tags(&lower) {
        let attrs = attribute_names(tag);
        if attrs.iter().any(|a| a == "style") {
            bail!("a tag has a style attribute, which style-src 'self' blocks: <{tag}>");
        }
        if let Some(handler) = attrs.iter().find(|a| a.starts_with("on")) {
            bail!("a tag has an inline event handler ({handler}=), which script-src blocks");
        }
    }
    let csp = policy(scripts.iter().copied());
    let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\" />");

    // After <meta charset> (which must stay within the first 1024 bytes),
    // else right after <head>.
    let head = find_tag(&lower, "head", 0).context("it has no <head>")?;
    let head_end = tag_end(&lower, head)?;
    let at = match find_tag(&lower, "meta", head_end) {
        Some(meta)
            if attribute_names(&lower[meta..tag_end(&lower, meta)?])
                .contains(&"charset".to_string()) =>
        {
            tag_end(&lower, meta)?
        }
        _ => head_end,
    };
    if let Some(script) = find_tag(&lower, "script", 0) {
        if script < at {
            bail!("a <script> comes before <meta charset> in <head>");
        }
    }
    let mut out = String::with_capacity(html.len() + meta.len() + 5);
    out.push_str(&html[..at]);
    out.push_str("\n    ");
    out.push_str(&meta);
    out.push_str(&html[at..]);
    Ok((out, csp))
}

/// `lower` with every comment blanked out byte for byte (offsets unchanged).
fn without_comments(lower: &str) -> String {
    let mut bytes = lower.as_bytes().to_vec();
    let mut at = 0;
    while let Some(i) = lower[at..].find("<!--") {
        let start = at + i;
        let end = lower[start + 4..]
            .find("-->")
            .map_or(lower.len(), |j| start + 4 + j + 3);
        bytes[start..end].fill(b' ');
        at = end;
    }
    String::from_utf8(bytes).expect("only ASCII bytes were written")
}

/// The text of every `<script>` without a `src` attribute, exactly as between
/// its tags (what the browser hashes).
fn inline_scripts<'a>(html: &'a str, lower: &str) -> Result<Vec<&'a str>> {
    let mut scripts = Vec::new();
    let mut from = 0;
    while let Some(start) = find_tag(lower, "script", from) {
        let open_end = tag_end(lower, start)?;
        let close = lower[open_end..]
            .find("</script")
            .map(|i| open_end + i)
            .context("a <script> is not closed")?;
        if !attribute_names(&lower[start..open_end]).contains(&"src".to_string()) {
            scripts.push(&html[open_end..close]);
        }
        from = close + "</script".len();
    }
    Ok(scripts)
}

/// The byte offset of the next `<name` tag (followed by whitespace, `>` or
/// `/`) at or after `from`, in lower-cased HTML.
fn find_tag(lower: &str, name: &str, from: usize) -> Option<usize> {
    let needle = format!("<{name}");
    let mut at = from;
    while let Some(i) = lower[at..].find(&needle) {
        let start = at + i;
        let next = lower[start + needle.len()..].chars().next();
        if matches!(next, Some(c) if c.is_ascii_whitespace() || c == '>' || c == '/') {
            return Some(start);
        }
        at = start + needle.len();
    }
    None
}

/// The offset just after the `>` closing the tag that starts at `start`
/// (quoted attribute values may contain `>`).
fn tag_end(lower: &str, start: usize) -> Result<usize> {
    let mut quote = None;
    for (i, c) in lower[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Ok(start + i + 1),
            _ => {}
        }
    }
    bail!("a tag is not closed")
}

/// Every start tag's text (`name attr=...`, without `<` and `>`), skipping
/// comments and the contents of scripts.
fn tags(lower: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find('<') {
        let start = at + i;
        let rest = &lower[start..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(lower.len(), |j| start + j + 3);
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            at = start + 1;
            continue;
        }
        let Ok(end) = tag_end(lower, start) else {
            break;
        };
        let tag = &lower[start + 1..end - 1];
        out.push(tag);
        at = end;
        if find_tag(lower, "script", start) == Some(start) {
            at = lower[end..]
                .find("</script")
                .map_or(lower.len(), |j| end + j);
        }
    }
    out
}

/// The attribute names of a tag's text (`<name a="x" b>`), lower-cased input.
fn attribute_names(tag: &str) -> Vec<String> {
    let body = tag.trim_start_matches('<').trim_end_matches('>');
    let mut names = Vec::new();
    let mut chars = body.char_indices().peekable();
    // Skip the element name.
    while let Some((_, c)) = chars.peek() {
        if c.is_ascii_whitespace() || *c == '/' {
            break;
        }
        chars.next();
    }
    loop {
        while matches!(chars.peek(), Some((_, c)) if c.is_ascii_whitespace() || *c == '/') {
            chars.next();
        }
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let mut end = body.len();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_ascii_whitespace() || c == '=' || c == '/' {
                end = i;
                break;
            }
            chars.next();
        }
        names.push(body[start..end].to_string());
        while matches!(chars.peek(), Some((_, c)) if c.is_ascii_whitespace()) {
            chars.next();
        }
        if matches!(chars.peek(), Some((_, '='))) {
            chars.next();
            while matches!(chars.peek(), Some((_, c)) if c.is_ascii_whitespace()) {
                chars.next();
            }
            match chars.peek() {
                Some(&(_, q @ ('"' | '\''))) => {
                    chars.next();
                    for (_, c) in chars.by_ref() {
                        if c == q {
                            break;
                        }
                    }
                }
                _ => {
                    while matches!(chars.peek(), Some((_, c)) if !c.is_ascii_whitespace()) {
                        chars.next();
                    }
                }
            }
        }
    }
    names
}

/// A hash of every file of the site (path and content, in path order), with
/// `sw.js` still unstamped: 16 hex digits.
fn site_version(dist: &Path) -> Result<String> {
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for file in &files {
        let rel = file.strip_prefix(dist).unwrap_or(file);
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        hasher.update(rel.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let digest = hasher.finalize();
    Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// Every file under `dir`, skipping hidden entries (Trunk's `.stage`).
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_OUTPUT: &str = r#"<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>T</title>
    <!-- a comment with <script> in it -->
    <base href="/stenogram/" />
    <script src="register-sw.js" defer></script>
<script type="module">
import init from '/stenogram/app.js';
await init({ module_or_path: '/stenogram/app_bg.wasm' });
</script>
    <link rel="stylesheet" href="/stenogram/main.css" integrity="sha384-x>y"/>
  <link rel="modulepreload" href="/stenogram/app.js" crossorigin="anonymous"></head>
  <body></body>
</html>"#;

    #[test]
    fn hashes_the_exact_text_of_inline_scripts_only() {
        let lower = without_comments(&TRUNK_OUTPUT.to_ascii_lowercase());
        let scripts = inline_scripts(TRUNK_OUTPUT, &lower).unwrap();
        assert_eq!(
            scripts,
            ["\nimport init from '/stenogram/app.js';\nawait init({ module_or_path: '/stenogram/app_bg.wasm' });\n"]
        );
    }

    #[test]
    fn sha256_source_expression_is_base64_of_the_digest() {
        // sha256("") = e3b0c442...b855, base64 47DEQpj8...
        let csp = policy([""]);
        assert!(csp.contains(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        ));
    }

    #[test]
    fn meta_goes_after_charset_and_before_every_script() {
        let (html, csp) = add_csp(TRUNK_OUTPUT).unwrap();
        let meta = html.find("http-equiv=\"Content-Security-Policy\"").unwrap();
        assert!(html.find("charset").unwrap() < meta);
        assert!(meta < html.find("<script").unwrap());
        assert!(meta < html.find("<base").unwrap());
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
        assert!(csp.contains("object-src 'none'"));
        assert_eq!(csp.matches("'sha256-").count(), 1);
        // Everything else is unchanged.
        assert_eq!(
            html.replace(
                &format!("\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\" />"),
                ""
            ),
            TRUNK_OUTPUT
        );
    }

    #[test]
    fn refuses_what_the_policy_would_block() {
        let with = |extra: &str| TRUNK_OUTPUT.replace("<body>", &format!("<body>{extra}"));
        assert!(add_csp(&with("<style>p{}</style>")).is_err());
        assert!(add_csp(&with("<p style=\"color: red\">x</p>")).is_err());
        assert!(add_csp(&with("<img src=x onerror=\"alert(1)\">")).is_err());
        assert!(add_csp(&with("<p data-style=\"x\" data-on=\"y\">x</p>")).is_ok());
        let twice = add_csp(TRUNK_OUTPUT).unwrap().0;
        assert!(add_csp(&twice).is_err());
    }

    #[test]
    fn stamps_a_version_that_follows_the_content() {
        let dir = std::env::temp_dir().join(format!("xtask-release-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let write = |corpus: &str| {
            std::fs::write(dir.join("index.html"), TRUNK_OUTPUT).unwrap();
            std::fs::write(
                dir.join("sw.js"),
                format!("const VERSION = '{BUILD_PLACEHOLDER}';"),
            )
            .unwrap();
            std::fs::write(dir.join("data/index.json"), corpus).unwrap();
        };
        write("{}");
        let first = finish(&dir).unwrap();
        assert_eq!(first.version.len(), 16);
        let sw = std::fs::read_to_string(dir.join("sw.js")).unwrap();
        assert_eq!(sw, format!("const VERSION = '{}';", first.version));
        write("{}");
        assert_eq!(finish(&dir).unwrap().version, first.version);
        write("{\"changed\":true}");
        assert_ne!(finish(&dir).unwrap().version, first.version);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
