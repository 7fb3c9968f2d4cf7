// Editor extensions for article bodies (articles/body/vocabulary.py describes the HTML).
//
// django-prose-editor loads this module (settings.DJANGO_PROSE_EDITOR_EXTENSIONS) and uses
// the extensions it exports by name. Each writes exactly the canonical form that
// articles/body/sanitize.py writes, so that an unchanged save stores the same body.
import {
  Blockquote,
  Code,
  Link,
  Mark,
  mergeAttributes,
  Node,
  Plugin,
  Table,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const icon = (paths) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${paths}</svg>`

const ICONS = {
  pullQuote: icon('<path d="M4 6h16M4 18h10"/><path d="M8 9.5c-1.5 0-2.5 1-2.5 2.5S6.5 14 8 14M14 9.5c-1.5 0-2.5 1-2.5 2.5s1 2 2.5 2"/>'),
  attribution: icon('<circle cx="12" cy="8" r="3.5"/><path d="M5 20c1-4 4-6 7-6s6 2 7 6"/>'),
  embed: icon('<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M10 9.5v5l4.5-2.5z"/>'),
  libraryImage: icon('<rect x="3" y="3" width="14" height="12" rx="1.5"/><path d="M3 12l4-4 3 3 2-2 5 5"/><path d="M20 8v13H7"/><path d="M17 18h3"/>'),
  figure: icon('<rect x="3" y="4" width="18" height="13" rx="1.5"/><path d="M3 14l5-5 4 4 3-3 6 6"/><path d="M6 21h12"/>'),
  cite: icon('<path d="M5 4h10l4 4v12H5z"/><path d="M9 12h6M9 16h4"/>'),
  quotation: icon('<path d="M7 7c-2 1-3 3-3 5h3v4H3M17 7c-2 1-3 3-3 5h3v4h-4"/>'),
  mark: icon('<path d="M14 4l6 6-9 9H5v-6z"/><path d="M3 21h18"/>'),
  caption: icon('<rect x="3" y="8" width="18" height="12" rx="1"/><path d="M3 14h18M12 8v12M6 4h12"/>'),
  headerRow: icon('<rect x="3" y="3" width="18" height="18" rx="2"/><rect x="3" y="3" width="18" height="6" fill="currentColor" fill-opacity="0.35"/><path d="M3 9h18M9 3v18M15 3v18"/>'),
  source: icon('<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>'),
}

const text = (value) => (value || "").replace(/\s+/g, " ").trim()

// An attribute kept on the node but written by the node's own renderHTML.
const own = (fallback, parse) => ({ default: fallback, rendered: false, parseHTML: parse })

// Links: typing right after a link does not extend it; an empty title is not written.
export const BodyLink = Link.extend({
  inclusive: false,
  addAttributes() {
    return {
      ...this.parent?.(),
      title: {
        default: null,
        parseHTML: (element) => element.getAttribute("title") || null,
        renderHTML: (attributes) => (attributes.title ? { title: attributes.title } : {}),
      },
    }
  },
})

// Inline code may sit inside a link (a function name that links to its documentation).
export const BodyCode = Code.extend({
  excludes: "bold italic strike subscript superscript cite quotation marked",
})

const simpleMark = (name, tag, title, iconName) =>
  Mark.create({
    name,
    parseHTML: () => [{ tag }],
    renderHTML: ({ HTMLAttributes }) => [tag, mergeAttributes(HTMLAttributes), 0],
    addMenuItems({ menu, buttons }) {
      menu.defineItem({
        name,
        groups: "marks",
        button: buttons.svg(ICONS[iconName], title),
        command: (editor) => editor.chain().focus().toggleMark(name).run(),
        active: (editor) => editor.isActive(name),
        enabled: (editor) => editor.can().toggleMark(name),
      })
    },
  })

export const Cite = simpleMark("cite", "cite", "Cited work or source (cite)", "cite")
export const Quotation = simpleMark("quotation", "q", "Inline quotation (q)", "quotation")
export const Marked = simpleMark("marked", "mark", "Highlight (mark)", "mark")

// Block quotes keep the address of their source (cite="…").
export const BodyBlockquote = Blockquote.extend({
  addAttributes() {
    return {
      cite: {
        default: null,
        parseHTML: (element) => element.getAttribute("cite") || null,
        renderHTML: (attributes) => (attributes.cite ? { cite: attributes.cite } : {}),
      },
    }
  },
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "blockquoteSource",
      groups: "nodes",
      button: buttons.svg(ICONS.source, "Address of the quote's source"),
      hidden: (editor) => !editor.isActive("blockquote"),
      command(editor) {
        updateAttrsDialog(
          { cite: { type: "string", title: "Address (URL) of the source" } },
          { title: "Block quote source" },
        )(editor, { cite: editor.getAttributes("blockquote").cite || "" }).then((attrs) => {
          if (attrs) {
            editor.chain().focus().updateAttributes("blockquote", { cite: attrs.cite.trim() || null }).run()
          }
        })
      },
    })
  },
})

// <figure class="pullquote"><blockquote><p>…</p></blockquote><figcaption>who</figcaption></figure>
export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "paragraph+",
  defining: true,
  priority: 110,

  addAttributes() {
    return {
      attribution: own("", (element) => text(element.querySelector(":scope > figcaption")?.textContent)),
    }
  },

  parseHTML() {
    return [
      {
        tag: "figure.pullquote",
        priority: 60,
        contentElement: (element) => element.querySelector(":scope > blockquote") || element,
      },
    ]
  },

  renderHTML({ node }) {
    const figure = ["figure", { class: "pullquote" }, ["blockquote", 0]]
    return node.attrs.attribution ? [...figure, ["figcaption", {}, node.attrs.attribution]] : figure
  },

  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement("figure")
      dom.className = "pullquote"
      const contentDOM = document.createElement("blockquote")
      const caption = document.createElement("figcaption")
      caption.contentEditable = "false"
      const show = (current) => {
        caption.textContent = current.attrs.attribution || "(no attribution)"
      }
      show(node)
      dom.append(contentDOM, caption)
      return {
        dom,
        contentDOM,
        update: (updated) => updated.type.name === "pullQuote" && (show(updated), true),
        ignoreMutation: (mutation) => caption.contains(mutation.target),
      }
    }
  },

  addCommands() {
    return {
      togglePullQuote:
        () =>
        ({ commands }) =>
          commands.toggleWrap(this.name),
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "pullQuote",
      groups: "nodes",
      button: buttons.svg(ICONS.pullQuote, "Pull quote"),
      command: (editor) => editor.chain().focus().togglePullQuote().run(),
      active: (editor) => editor.isActive("pullQuote"),
      enabled: (editor) => editor.can().togglePullQuote(),
    })
    menu.defineItem({
      name: "pullQuoteAttribution",
      groups: "nodes",
      button: buttons.svg(ICONS.attribution, "Pull quote attribution"),
      hidden: (editor) => !editor.isActive("pullQuote"),
      command(editor) {
        updateAttrsDialog(
          { attribution: { type: "string", title: "Who said it" } },
          { title: "Pull quote attribution" },
        )(editor, { attribution: editor.getAttributes("pullQuote").attribution || "" }).then((attrs) => {
          if (attrs) {
            editor.chain().focus().updateAttributes("pullQuote", { attribution: text(attrs.attribution) }).run()
          }
        })
      },
    })
  },
})

// <figure [class="wide"] [data-image="42"]><img …><figcaption>caption <span class="credit">credit</span></figcaption></figure>
// The toolbar's library button (the image chooser, static/js/image-chooser.js) inserts these with
// insertBodyFigure({image, src, alt, width, height, caption, credit, wide}); "image" is the
// library image's number, which reader pages use to serve its responsive renditions.
const IMAGE_ATTRIBUTES = ["src", "alt", "width", "height", "srcset", "sizes"]

export const BodyFigure = Node.create({
  name: "bodyFigure",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  priority: 110,

  addOptions() {
    return { chooserUrl: null }
  },

  addAttributes() {
    const fromImage = (name) => own(null, (element) => element.querySelector("img")?.getAttribute(name) ?? null)
    const credit = (element) => element.querySelector("figcaption span.credit")
    return {
      ...Object.fromEntries(IMAGE_ATTRIBUTES.map((name) => [name, fromImage(name)])),
      caption: own("", (element) => {
        const figcaption = element.querySelector("figcaption")
        if (!figcaption) return ""
        const copy = figcaption.cloneNode(true)
        copy.querySelector("span.credit")?.remove()
        return text(copy.textContent)
      }),
      credit: own("", (element) => text(credit(element)?.textContent)),
      wide: own(false, (element) => element.classList.contains("wide")),
      image: own(null, (element) => (/^[1-9][0-9]*$/.test(element.dataset.image || "") ? element.dataset.image : null)),
    }
  },

  parseHTML() {
    return [
      {
        tag: "figure",
        priority: 55,
        getAttrs: (element) =>
          element.querySelector("img") && !element.matches(".pullquote, .embed") ? null : false,
      },
    ]
  },

  renderHTML({ node }) {
    const { caption, credit, wide } = node.attrs
    const image = Object.fromEntries(
      IMAGE_ATTRIBUTES.filter((name) => node.attrs[name] || name === "alt").map((name) => [
        name,
        node.attrs[name] || "",
      ]),
    )
    const attributes = wide ? { class: "wide" } : {}
    if (node.attrs.image) attributes["data-image"] = String(node.attrs.image)
    const figure = ["figure", attributes, ["img", image]]
    if (!caption && !credit) return figure
    const parts = caption ? [credit ? `${caption} ` : caption] : []
    if (credit) parts.push(["span", { class: "credit" }, credit])
    return [...figure, ["figcaption", {}, ...parts]]
  },

  addCommands() {
    return {
      insertBodyFigure:
        (attrs) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs }),
      editBodyFigure:
        () =>
        ({ editor, state }) => {
          const node = state.selection.node
          if (node?.type.name !== this.name) return false
          updateAttrsDialog(
            {
              alt: { type: "string", title: "Alternative text (describe the image)" },
              caption: { type: "string", title: "Caption" },
              credit: { type: "string", title: "Credit (e.g. Photo: Jane Doe)" },
              wide: { type: "boolean", title: "Wide (wider than the text column)" },
            },
            { title: "Figure" },
          )(editor, { ...node.attrs }).then((attrs) => {
            if (attrs) {
              editor
                .chain()
                .focus()
                .updateAttributes(this.name, {
                  alt: text(attrs.alt),
                  caption: text(attrs.caption),
                  credit: text(attrs.credit),
                  wide: !!attrs.wide,
                })
                .run()
            }
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    const chooserUrl = this.options.chooserUrl
    menu.defineItem({
      name: "bodyFigure:library",
      groups: "nodes",
      button: buttons.svg(ICONS.libraryImage, "Image from the library (figure with caption and credit)"),
      hidden: () => !chooserUrl || !window.NewsroomImageChooser,
      command(editor) {
        const url = `${chooserUrl}?for=body`
        window.NewsroomImageChooser.open(url, "Insert an image from the library").then((chosen) => {
          if (!chosen) return
          editor
            .chain()
            .focus()
            .insertBodyFigure({
              image: String(chosen.id),
              src: chosen.src,
              alt: text(chosen.alt),
              width: String(chosen.width),
              height: String(chosen.height),
              caption: text(chosen.caption),
              credit: text(chosen.credit),
              wide: Boolean(chosen.wide),
            })
            .run()
        })
      },
    })
    menu.defineItem({
      name: "bodyFigure:edit",
      groups: "nodes",
      button: buttons.svg(ICONS.figure, "Edit figure: alt text, caption, credit, width"),
      hidden: (editor) => editor.state.selection.node?.type.name !== "bodyFigure",
      command: (editor) => editor.commands.editBodyFigure(),
    })
  },
})

// <figure class="embed" data-provider="youtube"><a href="URL">URL</a></figure>
// The provider patterns come from articles/body/embeds.py, through the field's configuration.
export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  // Below the paragraph's 1000: the first block type is what new table cells and
  // documents are filled with.

  addOptions() {
    return { providers: [] }
  },

  addAttributes() {
    return {
      url: own("", (element) => element.querySelector("a[href]")?.getAttribute("href") || ""),
      provider: own("", (element) => element.dataset.provider || ""),
    }
  },

  parseHTML() {
    return [
      {
        tag: "figure.embed",
        priority: 60,
        getAttrs: (element) => (element.querySelector("a[href]") ? null : false),
      },
    ]
  },

  renderHTML({ node }) {
    const { url, provider } = node.attrs
    return ["figure", { class: "embed", "data-provider": provider }, ["a", { href: url }, url]]
  },

  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement("figure")
      dom.className = "embed embed--editing"
      dom.dataset.provider = node.attrs.provider
      const label = document.createElement("strong")
      label.textContent = `Embed (${node.attrs.provider}): `
      const url = document.createElement("span")
      url.textContent = node.attrs.url
      dom.append(label, url)
      return { dom }
    }
  },

  addCommands() {
    return {
      insertEmbed:
        (url) =>
        ({ commands }) => {
          const provider = this.storage.providerFor(url)
          return provider ? commands.insertContent({ type: this.name, attrs: { url: url.trim(), provider } }) : false
        },
    }
  },

  addStorage() {
    return { providerFor: () => null }
  },

  onBeforeCreate() {
    const patterns = this.options.providers.map(([name, pattern]) => [name, new RegExp(`^(?:${pattern})$`, "i")])
    this.storage.providerFor = (url) => {
      const candidate = (url || "").trim()
      if (!candidate || /\s/.test(candidate)) return null
      return patterns.find(([, pattern]) => pattern.test(candidate))?.[0] || null
    }
  },

  addProseMirrorPlugins() {
    const extension = this
    return [
      new Plugin({
        props: {
          // A provider URL pasted on a line of its own becomes an embed; anywhere else, text.
          handlePaste(view, event) {
            const pasted = event.clipboardData?.getData("text/plain") || ""
            const provider = extension.storage.providerFor(pasted)
            const { $from, empty } = view.state.selection
            if (!provider || !empty || $from.parent.type.name !== "paragraph" || $from.parent.content.size) {
              return false
            }
            const embed = view.state.schema.nodes.embed.create({ url: pasted.trim(), provider })
            view.dispatch(view.state.tr.replaceRangeWith($from.before(), $from.after(), embed).scrollIntoView())
            return true
          },
        },
      }),
    ]
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      button: buttons.svg(ICONS.embed, "Embed a video, post, audio or map by its address"),
      command(editor) {
        updateAttrsDialog(
          {
            url: {
              type: "string",
              title:
                "Address of a YouTube, Vimeo, X, Instagram, TikTok, Bluesky, Mastodon, SoundCloud, Spotify, OpenStreetMap or Google Maps page",
            },
          },
          { title: "Embed" },
        )(editor, { url: "" }).then((attrs) => {
          if (!attrs) return
          if (!editor.chain().focus().insertEmbed(attrs.url).run()) {
            window.alert("That address is not one of the providers that can be embedded; add it as a link instead.")
          }
        })
      },
    })
  },
})

// Tables with a caption (text) and a header row.
export const BodyTable = Table.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      caption: own("", (element) => text(element.querySelector(":scope > caption")?.textContent)),
    }
  },

  parseHTML() {
    // The caption is read as the table's attribute; its text is not table content.
    return [{ tag: "table" }, { tag: "caption", ignore: true }]
  },

  renderHTML({ node, HTMLAttributes }) {
    const attributes = mergeAttributes(this.options.HTMLAttributes, HTMLAttributes)
    return node.attrs.caption
      ? ["table", attributes, ["caption", {}, node.attrs.caption], ["tbody", 0]]
      : ["table", attributes, ["tbody", 0]]
  },

  addNodeView() {
    const base = this.parent?.()
    return (props) => {
      const view = base(props)
      const caption = document.createElement("caption")
      caption.contentEditable = "false"
      const show = (node) => {
        caption.textContent = node.attrs.caption
        if (node.attrs.caption) view.table.prepend(caption)
        else caption.remove()
      }
      show(props.node)
      const update = view.update.bind(view)
      view.update = (node) => update(node) && (show(node), true)
      const ignoreMutation = view.ignoreMutation.bind(view)
      view.ignoreMutation = (mutation) => caption.contains(mutation.target) || ignoreMutation(mutation)
      return view
    }
  },

  addMenuItems(context) {
    this.parent?.(context)
    const { menu, buttons } = context
    const inTable = (editor) => !editor.isActive("table")
    menu.defineItem({
      name: "table:caption",
      groups: "table",
      button: buttons.svg(ICONS.caption, "Table caption"),
      hidden: inTable,
      command(editor) {
        updateAttrsDialog(
          { caption: { type: "string", title: "Caption (what the table shows)" } },
          { title: "Table caption" },
        )(editor, { caption: editor.getAttributes("table").caption || "" }).then((attrs) => {
          if (attrs) editor.chain().focus().updateAttributes("table", { caption: text(attrs.caption) }).run()
        })
      },
    })
    menu.defineItem({
      name: "table:toggleHeaderRow",
      groups: "table",
      button: buttons.svg(ICONS.headerRow, "Header row"),
      hidden: inTable,
      command: (editor) => editor.chain().focus().toggleHeaderRow().run(),
    })
  },
})
