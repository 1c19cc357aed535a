from similarity.bench import run


def test_the_benchmark_finds_every_copy_and_nothing_else():
    report = run(count=30, seed=1)
    # 4 solutions with 2 copies each (3 pairs each), and one disguised synthetic submission.
    assert report.splitlines()[0].startswith("30 submissions")
    assert report.splitlines()[-1] == "pairs found: 13 (13 between a solution and its copies)"
