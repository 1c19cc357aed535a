"""The cgroup a run gets: its CPU quota and CPU count, in the cgroup v2 layout (a folder that stands in for
a delegated cgroup, as this machine may have none) and in this machine's own layout."""

import pytest

from grader import cgroups


def v2_parent(tmp_path, controllers: str) -> cgroups.Parent:
    (tmp_path / "cgroup.subtree_control").write_text(controllers)
    return cgroups.Parent(tmp_path, v2=True)


def test_a_v2_run_is_held_to_one_core_where_its_parent_hands_down_the_cpu_controller(tmp_path):
    group = cgroups.create(v2_parent(tmp_path, "cpu memory pids\n"), 1 << 30)
    assert group.cpu_quota
    assert (group.path / "cpu.max").read_text() == f"{cgroups.CPU_PERIOD_US} {cgroups.CPU_PERIOD_US}"


def test_a_v2_run_without_the_cpu_controller_has_no_quota_and_says_why(tmp_path):
    group = cgroups.create(v2_parent(tmp_path, "memory\n"), 1 << 30)
    assert not group.cpu_quota and not (group.path / "cpu.max").exists()
    assert "no cpu in cgroup.subtree_control" in group.no_quota_because


def test_a_v2_run_counts_its_cpu_time_from_cpu_stat(tmp_path):
    group = cgroups.create(v2_parent(tmp_path, "memory\n"), 1 << 30)
    (group.path / "cpu.stat").write_text("usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n")
    assert group.cpu_seconds() == 2.5


def test_a_v1_run_is_held_to_one_core_and_counted_in_its_own_folders():
    try:
        parent = cgroups.own_parent()
    except cgroups.CgroupError as exc:
        pytest.skip(str(exc))
    if parent.v2 or parent.cpu is None or parent.cpuacct is None:
        pytest.skip("not a cgroup v1 machine with the cpu and cpuacct controllers")
    group = cgroups.create(parent, 1 << 30)
    try:
        assert group.cpu_quota, group.no_quota_because
        assert int((group.cpu / "cpu.cfs_quota_us").read_text()) == int((group.cpu / "cpu.cfs_period_us").read_text())
        assert group.cpu_seconds() == 0.0               # a new folder: nothing counted before the run joins it
    finally:
        cgroups.remove(group)
    assert not any(folder.exists() for folder in group.folders())
