"""Build (or check) the benchmark dataset alone: ``python -m bench.build [--articles N --tags N --links N]``."""

import argparse

from bench.common import database_label, setup_django


def dataset_arguments(parser):
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=2_000)
    parser.add_argument("--links", type=int, default=500_000, help="article-tag links")
    return parser


def prepare_dataset(options):
    """Set Django up on DATABASE_URL and build (or reuse) the dataset; exit with a message if refused."""
    setup_django()
    from bench.dataset import ForeignDataError, ensure_dataset

    print(f"database: {database_label()}")
    try:
        print(ensure_dataset(options.articles, options.tags, options.links).describe())
    except (ForeignDataError, ValueError) as error:
        raise SystemExit(f"error: {error}") from None


def main():
    prepare_dataset(dataset_arguments(argparse.ArgumentParser(description=__doc__)).parse_args())


if __name__ == "__main__":
    main()
