// The view tabs as real tabs: tablist/tab/tabpanel, aria-selected, one tab stop; the arrows, Home and
// End move between tabs, Enter and Space pick one.

let tabCount = 0;
function makeTabs(header) {   // header: Bokeh's .bk-header inside the Tabs' shadow root
  const root = header.getRootNode();
  const list = header.querySelector(".bk-headers-wrapper") || header;
  setAttr(list, "role", "tablist");
  setAttr(list, "aria-label", "Views");
  const tabs = [...list.querySelectorAll(".bk-tab")];
  const panels = [...root.children].filter((c) => c.tagName === "DIV" && !c.classList.contains("bk-header"));
  tabs.forEach((tab, i) => {
    if (!tab.id) tab.id = `a11y-tab-${++tabCount}`;
    const active = tab.classList.contains("bk-active");
    setAttr(tab, "role", "tab");
    setAttr(tab, "aria-selected", String(active));
    setAttr(tab, "tabindex", active ? "0" : "-1");   // one tab stop; the arrows move between tabs
    if (active) {
      for (const panel of panels) {
        setAttr(panel, "role", "tabpanel");
        setAttr(panel, "aria-labelledby", tab.id);
      }
    }
    if (!tab.__a11yKeys) {
      tab.__a11yKeys = true;
      tab.addEventListener("keydown", (event) => tabKey(event, list));
    }
  });
}
function tabKey(event, list) {
  const tabs = [...list.querySelectorAll(".bk-tab")];
  const i = tabs.indexOf(event.currentTarget);
  const to = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1}[event.key];
  if (to !== undefined) {
    const tab = tabs[(to + tabs.length) % tabs.length];
    tab.click();   // Bokeh switches views on a click: the arrows show the view they move to
    tab.focus();
  } else if (event.key === "Enter" || event.key === " ") {
    event.currentTarget.click();
  } else {
    return;
  }
  event.preventDefault();
}
