"""Fixtures of the checklists tests: the core demo plus this app's shipped lists and registers."""

import pytest

from checklists.schemas import ItemSchema


@pytest.fixture
def lists(demo):
    from checklists.demo import load_demo

    load_demo()
    return True


@pytest.fixture
def item_payload():
    """A valid district addition (a real legal basis from LEGAL-BASES.md) as ``item_save`` takes it: the typed
    item and its legal-basis rows. Bad fields raise the schema's refusal."""

    def make(**overrides):
        data = dict(
            list_type="assistance",
            category="public_security",
            title="协助做好反电信网络诈骗宣传进楼院",
            content="面向老年人、青少年开展反诈宣传。",
            department="公安派出所",
            keywords="反诈、防骗",
            bases=[{"law": "中华人民共和国反电信网络诈骗法", "article": "第八条", "level": "law"}],
        )
        data.update(overrides)
        bases = data.pop("bases")
        return {"data": ItemSchema.parse(data), "bases": bases}

    return make
