"""Adapter for the Huawei Cloud TaurusDB backups API: signing, client, models, simulator."""
