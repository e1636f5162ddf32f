"""Endpoints of the taskcheck app for ``make bench`` (read by scripts/bench.py)."""

from urllib.parse import quote

DEMO_COMMUNITY = "120103001001"

ENDPOINTS = [
    dict(
        name="task-check",
        method="POST",
        path="/api/v1/task-check",
        user=None,
        json={
            "community": DEMO_COMMUNITY,
            "title": "协助开展人口普查入户登记",
            "description": "请各社区协助普查员做好辖区住户摸底和入户登记，10月底前完成。",
            "department": "河西区统计局",
        },
    ),
    dict(
        name="task-check (prohibited)",
        method="POST",
        path="/api/v1/task-check",
        user=None,
        json={
            "community": DEMO_COMMUNITY,
            "title": "由社区负责辖区违建拆除",
            "department": "河西区城市管理委员会",
        },
    ),
    dict(
        name="task-check page",
        method="GET",
        path=f"/check/?community={DEMO_COMMUNITY}&title={quote('调解居民邻里纠纷')}",
        user=None,
    ),
]
