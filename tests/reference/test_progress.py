"""The import commands' progress bar: redrawn in place on one line, only when the bar moves, and
closed with the final count."""

import io

from backoffice.reference.management.importing import ProgressBar


def test_the_bar_redraws_in_place_only_when_it_moves():
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(1, 100, "baris")
    bar(2, 100, "baris")  # still no tenth filled: nothing drawn again
    bar(55, 100, "baris")
    bar(100, 100, "baris")
    bar.close()
    draws = stream.getvalue().split("\r")[1:]
    assert [d.rstrip() for d in draws] == [
        "[..........] baris 1/100",
        "[#####.....] baris 55/100",
        "[##########] baris 100/100",
    ]
    assert stream.getvalue().endswith("\n")


def test_a_bar_that_never_drew_prints_nothing_on_close():
    stream = io.StringIO()
    ProgressBar(stream).close()
    assert stream.getvalue() == ""
