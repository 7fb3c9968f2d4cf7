// Embeds on reader pages: the provider's player loads only when the reader asks for it.
//
// The page holds a placeholder per embed (articles/body/render.py): the provider, a link
// and a hidden "Load" button. This shows the button, and on click replaces the
// placeholder's content with the provider's iframe (its address is in data-embed-src).
// Nothing is requested from the provider before the click.
;(() => {
  for (const figure of document.querySelectorAll("figure.embed[data-embed-src]")) {
    const button = figure.querySelector(".embed__load")
    const notice = figure.querySelector(".embed__notice")
    if (!button) continue
    button.hidden = false
    if (notice) notice.hidden = false
    button.addEventListener("click", () => {
      const label = figure.querySelector(".embed__provider")?.textContent || "Embedded content"
      const iframe = document.createElement("iframe")
      iframe.className = "embed__frame"
      iframe.src = figure.dataset.embedSrc
      iframe.title = `${label} content`
      iframe.loading = "lazy"
      iframe.referrerPolicy = "strict-origin-when-cross-origin"
      iframe.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture"
      iframe.setAttribute("allowfullscreen", "")
      button.remove()
      notice?.remove()
      figure.classList.add("embed--loaded")
      figure.append(iframe)
      iframe.focus()
    })
  }
})()
