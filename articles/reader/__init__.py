"""What readers see: pages, feeds, sitemaps, page metadata and shared previews.

- urls, views: the reader site's routes and its thin views
- pages: building the article page (also for previews)
- feeds, sitemaps, seo: syndication, sitemaps, titles, descriptions and JSON-LD
- previews: the read-only page behind a shareable preview link
"""
