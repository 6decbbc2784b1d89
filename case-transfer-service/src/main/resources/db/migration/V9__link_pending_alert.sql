-- Link events held out of order (link_pending) past chuanyu.link.pending-alert-after raise one alert per exchange
-- and missing seq: the seq the exchange waited for when it was alerted (null: not alerted). Claimed with an update,
-- so of several instances only one raises it.
alter table link_in add column pending_alerted_for bigint;
