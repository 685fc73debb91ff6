"""axe-core inside a Playwright page: the WCAG 2.0–2.2 A/AA rules, violations worded so a
failed assertion says what to fix.

axe-core is pinned with the page script's packages (frontend/package.json) and installed
by `make install` (`npm ci`); nothing is fetched from the network.
"""

from __future__ import annotations

from typing import Any

from helpers import ROOT

AXE_JS = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# axe files text whose colour equals its background under "incomplete" (it might be
# hidden on purpose); no screen hides text that way, so here it is a violation.
_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const node = (n) => ({target: n.target.map(String), html: n.html,
                        summary: n.failureSummary || ''});
  const found = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(node)}));
  const invisible = result.incomplete.filter((v) => v.id === 'color-contrast')
    .flatMap((v) => v.nodes)
    .filter((n) => n.any.some((c) => c.data && c.data.messageKey === 'equalRatio'));
  if (invisible.length) {
    found.push({id: 'color-contrast', impact: 'serious',
                help: 'Text the same colour as its background (1:1, invisible)',
                nodes: invisible.map((n) => ({...node(n), summary: n.any.map(
                  (c) => c.message).join('\\n')}))});
  }
  return found;
}"""


def axe_violations(page: Any) -> list[dict]:
    """Run axe-core on the page as it is now; its violations (ids, nodes, summaries)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        if not AXE_JS.exists():
            raise FileNotFoundError(f"{AXE_JS} is missing: run `make install` (npm ci)")
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN, WCAG_TAGS)


def format_violations(violations: list[dict], *, max_nodes: int = 6) -> str:
    """One block per rule: id, impact, what it asks, and each failing element with why."""
    lines: list[str] = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s))")
        for node in v["nodes"][:max_nodes]:
            lines.append(f"    at {' > '.join(node['target'])}")
            lines.append(f"       {node['html'][:160]}")
            for reason in node["summary"].splitlines():
                if reason.strip():
                    lines.append(f"       {reason.strip()}")
        if len(v["nodes"]) > max_nodes:
            lines.append(f"    … and {len(v['nodes']) - max_nodes} more")
    return "\n".join(lines)


def assert_no_violations(page: Any, where: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, (f"axe-core: {len(violations)} WCAG A/AA rule(s) fail"
                            + (f" on {where}" if where else "") + "\n"
                            + format_violations(violations))
