/// The frame every HTML report shares: one self-contained file, the style sheet inline, text in the
/// browser's own sans-serif font, readable on a phone (the wide tables scroll on their own).
func htmlDocument(title: String, body: [HTMLNode], script: String? = nil) -> String {
    var bodyChildren = body
    if let script { bodyChildren.append(h("script", [:], .trusted(script))) }
    let page = h(
        "html", ["lang": "en"],
        h(
            "head", [:],
            h("meta", ["charset": "utf-8"]),
            h("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
            h("title", [:], .text(title)),
            h("style", [:], .trusted(reportStyleSheet))),
        h("body", [:], h("main", [:], children: bodyChildren)))
    return "<!DOCTYPE html>\n" + page.rendered + "\n"
}

/// A two-column list of facts (`<dl>`): settings, provenance, preprocessing.
func factList(_ facts: [(String, String)]) -> HTMLNode {
    h("dl", ["class": "facts"], children: facts.flatMap { [h("dt", [:], .text($0.0)), h("dd", [:], .text($0.1))] })
}

let reportStyleSheet = """
    :root { color-scheme: light; --ink: #212121; --muted: #6b6b6b; --line: #e1e1e1; --blue: #08458f; --red: #a50f15; }
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; line-height: 1.45; }
    main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
    h1 { font-size: 1.6rem; margin: 0.5rem 0 0.25rem; }
    h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
    p.lead { color: var(--muted); margin-top: 0; }
    .headline { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; margin: 1rem 0; }
    .headline div { min-width: 8rem; }
    .headline .value { font-size: 1.8rem; font-weight: 600; display: block; }
    .headline .what { color: var(--muted); font-size: 0.9rem; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.2rem 0.6rem; text-align: right; }
    table.metrics tr:first-child th { border-bottom: 1px solid var(--line); }
    table.metrics tr.average td, table.metrics tr.average th { border-top: 1px solid var(--line); color: var(--muted); }
    table.confusion td, table.confusion th { padding: 0; width: 3.6rem; height: 2.4rem; text-align: center; }
    table.confusion td { border: 1px solid #fff; }
    table.confusion th.corner { font-weight: normal; color: var(--muted); font-size: 0.8rem; width: 5rem; }
    table.confusion button { width: 100%; height: 100%; border: 0; background: transparent; color: inherit; font: inherit; cursor: pointer; }
    table.confusion button:focus-visible { outline: 3px solid #f5a623; outline-offset: -3px; }
    table.confusion button[aria-pressed="true"] { outline: 3px solid var(--ink); outline-offset: -3px; }
    table.confusion td.zero { color: #c8c8c8; }
    .axis-note { color: var(--muted); font-size: 0.9rem; }
    .gallery { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; }
    figure.digit { margin: 0; width: 5.5rem; text-align: center; font-size: 0.75rem; }
    figure.digit img { width: 64px; height: 64px; image-rendering: pixelated; border: 1px solid var(--line); display: block; margin: 0 auto; }
    figure.digit .pred { color: var(--red); font-weight: 600; }
    figure.digit .name { color: var(--muted); word-break: break-all; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0; }
    dl.facts dt { color: var(--muted); }
    dl.facts dd { margin: 0; word-break: break-word; }
    .curves { display: flex; flex-wrap: wrap; gap: 1rem; }
    .curves svg { max-width: 100%; height: auto; font-family: inherit; }
    .curves .panel-title { font-size: 15px; font-weight: 600; fill: var(--ink); }
    .curves .legend, .curves .tick { font-size: 12px; fill: var(--muted); }
    .curves .axis-label { font-size: 13px; fill: var(--ink); }
    .curves .grid { stroke: var(--line); }
    .curves .frame { stroke: #5a5a5a; fill: none; }
    .curves .best { stroke: var(--muted); }
    """
