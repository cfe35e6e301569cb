// The page's own landmarks: <main> and the sidebar, an h1 around the header's title, a skip link.
// Uses shadow.js.

const main = document.getElementById("main");
if (main) {
  setAttr(main, "role", "main");
  setAttr(main, "tabindex", "-1");   // the skip link's target
}
const sidebar = document.getElementById("sidebar");
if (sidebar) {
  setAttr(sidebar, "role", "complementary");
  setAttr(sidebar, "aria-label", "Share, embed, save or open");
  for (const list of sidebar.querySelectorAll("ul")) setAttr(list, "role", "none");   // holds no list items
}
const title = document.querySelector(".app-header .title");
if (title && !title.closest("h1")) {
  const h1 = document.createElement("h1");
  h1.className = "a11y-title";
  title.replaceWith(h1);
  h1.appendChild(title);
}

const skip = document.createElement("a");
skip.className = "a11y-skip";
skip.href = "#main";
skip.textContent = "Skip to the playground";
// Not a jump through the address: the app reads the fragment as a share link.
skip.addEventListener("click", (event) => {
  event.preventDefault();
  const tab = deepQueryAll(".bk-tab.bk-active")[0];
  (tab || main || document.body).focus();
});
document.body.prepend(skip);
