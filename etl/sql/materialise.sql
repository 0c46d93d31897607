-- Views too costly to compute on every page view at national scale, stored as tables by each load
-- (inside the load's transaction) and read by analytics/ instead of the view. Same rows as the view.

-- one row per client: longest and current run of consecutive missed wajib lapor (v_mangkir_beruntun)
create or replace table mangkir_beruntun as select * from v_mangkir_beruntun;
