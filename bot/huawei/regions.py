"""Where the TaurusDB API lives in each region.

The table is the one the official `huaweicloudsdkgaussdb` SDK carries (GaussDBRegion);
hosts differ by region, so they cannot be derived. Anything else needs GAUSSDB_ENDPOINT.
"""

from __future__ import annotations

from bot import messages
from bot.errors import ConfigError

REGION_ENDPOINTS: dict[str, str] = {
    "cn-north-4": "https://gaussdb.cn-north-4.myhuaweicloud.com",
    "cn-southwest-2": "https://gaussdb.cn-southwest-2.myhuaweicloud.com",
    "cn-east-3": "https://gaussdb.cn-east-3.myhuaweicloud.com",
    "cn-south-1": "https://gaussdb.cn-south-1.myhuaweicloud.com",
    "ru-northwest-2": "https://gaussdb.ru-northwest-2.myhuaweicloud.com",
    "ap-southeast-3": "https://gaussdb.ap-southeast-3.myhuaweicloud.com",
    "cn-north-2": "https://gaussdb.cn-north-2.myhuaweicloud.com",
    "cn-north-9": "https://gaussdb.cn-north-9.myhuaweicloud.com",
    "tr-west-1": "https://gaussdbformysql.tr-west-1.myhuaweicloud.com",
    "ap-southeast-4": "https://gaussdb.ap-southeast-4.myhuaweicloud.com",
    "sa-brazil-1": "https://gaussdb.sa-brazil-1.myhuaweicloud.com",
    "ap-southeast-1": "https://gaussdbformysql.ap-southeast-1.myhuaweicloud.com",
    "ap-southeast-2": "https://gaussdbformysql.ap-southeast-2.myhuaweicloud.com",
    "af-south-1": "https://gaussdb-mysql.af-south-1.myhuaweicloud.com",
    "cn-south-4": "https://gaussdb.cn-south-4.myhuaweicloud.com",
    "cn-north-11": "https://gaussdbformysql.cn-north-11.myhuaweicloud.com",
    "cn-east-5": "https://gaussdb-mysql.cn-east-5.myhuaweicloud.com",
    "la-north-2": "https://gaussdb-mysql.la-north-2.myhuaweicloud.com",
    "cn-southwest-3": "https://gaussdb-mysql.cn-southwest-3.myhuaweicloud.com",
    "me-east-1": "https://gaussdbformysql.me-east-1.myhuaweicloud.com",
}


def endpoint_for(region: str | None, override: str | None) -> str:
    """The API base URL: the override when given, else the region's entry in the table."""
    if override:
        return override.rstrip("/")
    if not region:
        raise ConfigError(messages.not_set("HUAWEICLOUD_REGION"), messages.SET_THE_REGION)
    try:
        return REGION_ENDPOINTS[region]
    except KeyError:
        raise ConfigError(
            messages.no_known_endpoint(region),
            messages.set_the_endpoint(", ".join(sorted(REGION_ENDPOINTS))),
        ) from None
