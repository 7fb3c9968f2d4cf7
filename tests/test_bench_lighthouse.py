"""bench.lighthouse reads Lighthouse's report into the figures the README quotes."""

from bench.lighthouse import page_figures, table


def lighthouse_report(images, *, responsive_score=1, lazy_score=None):
    return {
        "categories": {name: {"score": score} for name, score in
                       [("performance", 0.98), ("accessibility", 1), ("best-practices", 1), ("seo", 1)]},
        "audits": {
            "largest-contentful-paint": {"numericValue": 1234.5},
            "cumulative-layout-shift": {"numericValue": 0},
            "uses-responsive-images": {"score": responsive_score},
            "offscreen-images": {"score": lazy_score},
            "network-requests": {"details": {"items": [
                *({"resourceType": "Image", "transferSize": size} for size in images),
                {"resourceType": "Document", "transferSize": 30_000},
                {"resourceType": "Stylesheet", "transferSize": 9_000},
            ]}},
        },
    }  # fmt: skip


def test_image_bytes_count_images_only():
    figures = page_figures(lighthouse_report([10_240, 20_480]))
    assert figures["image_bytes"] == 30_720
    assert figures["images"] == 2
    assert figures["scores"] == {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}


def test_an_image_audit_below_full_score_is_named_and_one_not_applicable_is_not():
    figures = page_figures(lighthouse_report([1], responsive_score=0.5, lazy_score=None))
    assert figures["failing_image_audits"] == ["uses-responsive-images"]


def test_the_table_gives_one_row_a_page():
    rows = [
        ("home", page_figures(lighthouse_report([51_200]))),
        ("article", page_figures(lighthouse_report([]))),
    ]
    lines = table(rows).splitlines()
    assert len(lines) == 4
    assert "| home | 98 | 100 | 100 | 100 | 1,234 ms | 0.000 | 1 | 50.0 KB | none |" in lines
