import Foundation

/// The explorer's page frame: one stylesheet inline, one small script
/// served from this server (`/explorer.js`), nothing from the internet.
enum Page {
  /// A whole page. `title` is escaped here; `body` is HTML the caller built with escaped text.
  static func render(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(ExplorerText.escape(title)) · PeerLens explorer</title>
    <style>\(css)</style>
    <script src="/explorer.js" defer></script>
    </head>
    <body>
    <nav><a href="/">PeerLens explorer</a> · <a href="/table">Create your own table</a> · <a href="/api/indicators">API</a></nav>
    <main>
    \(body)
    </main>
    <footer>These figures describe data in context; they are not a measure of performance and set no targets.</footer>
    </body>
    </html>

    """
  }

  static let css = """
    body{font-family:system-ui,sans-serif;margin:0;color:#222;line-height:1.4}
    nav,footer{padding:.5rem 1rem;background:#f2f2f2;font-size:.9rem}
    main{padding:0 1rem 2rem;max-width:1200px}
    table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
    th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
    td.n{text-align:right;font-variant-numeric:tabular-nums}
    tr.focus{background:#e8f1fa;font-weight:600}
    .muted{color:#666}
    fieldset{border:1px solid #ccc;margin:.5rem 0}
    #members{max-height:14rem;overflow:auto;columns:3}
    #members label{display:block;font-size:.85rem}
    .hidden{display:none}
    svg{max-width:100%;height:auto}
    """

  /// Shows the member list only for a custom group and applies any other
  /// choice at once; the form is a plain GET form, so the address bar
  /// always holds the page's state and works without the script.
  static let script = """
    document.addEventListener('DOMContentLoaded', function () {
      var select = document.querySelector('select[name=group]');
      var members = document.getElementById('members-set');
      if (!select || !members) return;
      function sync() { members.classList.toggle('hidden', select.value !== 'custom'); }
      sync();
      select.addEventListener('change', function () {
        sync();
        if (select.value !== 'custom') select.form.submit();
      });
    });

    """

  /// The comparator-group control: a GET form to `action`, keeping `hidden` query fields.
  static func groupForm(action: String, group: ComparatorGroup, authorities: [(code: String, name: String)],
                        hidden: [(String, String)] = []) -> String {
    let e = ExplorerText.escape
    var out = "<form method=\"get\" action=\"\(e(action))\" id=\"group-form\"><label>Compare with "
    out += "<select name=\"group\">"
    let names: [(ComparatorGroup.Kind, String)] = [(.official, "official neighbours"), (.model, "model neighbours"),
                                                   (.region, "authorities in the region"), (.all, "all authorities"),
                                                   (.custom, "a custom group")]
    for (kind, name) in names {
      out += "<option value=\"\(kind.rawValue)\"\(kind == group.kind ? " selected" : "")>\(name)</option>"
    }
    out += "</select></label>"
    for (k, v) in hidden { out += "<input type=\"hidden\" name=\"\(e(k))\" value=\"\(e(v))\">" }
    out += "<fieldset id=\"members-set\"\(group.kind == .custom ? "" : " class=\"hidden\"")><legend>Custom group (up to \(ComparatorGroup.maximumCustom))</legend><div id=\"members\">"
    let chosen = Set(group.kind == .custom ? group.members : [])
    for a in authorities {
      out += "<label><input type=\"checkbox\" name=\"members\" value=\"\(e(a.code))\"\(chosen.contains(a.code) ? " checked" : "")> \(e(a.name))</label>"
    }
    out += "</div></fieldset> <button type=\"submit\">Compare</button></form>"
    return out
  }
}
