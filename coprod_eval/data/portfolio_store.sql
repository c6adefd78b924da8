-- coprod-eval portfolio store (DuckDB), schema version 1.
--
-- One file, written by `coprod-eval portfolio` only (one writer at a time), read by anyone:
--   duckdb portfolio.duckdb -readonly "SELECT * FROM latest_principles LIMIT 5"
-- Every row comes from a finished run's results.json (and its responses files); nothing in
-- it is raw evidence or identifies a person. Counts of people are as the run published
-- them (rounded, small ones withheld); people are never added up across projects.
-- Whole runs are written in one transaction (all of a run's rows or none), so a crash
-- mid-write leaves the store as it was; writing a run again replaces its rows (idempotent).
-- A "project" is its folder's path relative to the portfolio folder.

CREATE TABLE IF NOT EXISTS store_info (
  key   VARCHAR PRIMARY KEY,   -- 'schema_version'
  value VARCHAR
);

-- Each project as the portfolio lists it (portfolio.yaml, or the folder found).
CREATE TABLE IF NOT EXISTS projects (
  project      VARCHAR PRIMARY KEY,  -- folder relative to the portfolio
  name         VARCHAR,              -- project.name (evaluation.yaml), NULL until a run
  commissioner VARCHAR,              -- portfolio.yaml; 'Not given' when absent
  organisation VARCHAR,              -- portfolio.yaml, else project.organisation
  programme    VARCHAR,              -- portfolio.yaml; 'Not given' when absent
  last_outcome VARCHAR,              -- in the latest portfolio run: evaluated / unchanged / failed
  last_message VARCHAR               -- why it failed ('' otherwise)
);

-- Each finished run read into the store: the latest of each round of each project when the
-- portfolio ran (a run replaced since by a newer one of its round stays, as history).
CREATE TABLE IF NOT EXISTS runs (
  project           VARCHAR,
  run_id            VARCHAR,   -- the run folder's name, runs/<run_id>/
  round             INTEGER,   -- 1 when the evaluation is not in rounds
  name              VARCHAR,   -- project.name in that run's evaluation.yaml
  cache_key         VARCHAR,   -- sha256 of inputs, built-in yardsticks and package version
  results_sha256    VARCHAR,   -- of the run's results.json bytes
  framework         VARCHAR,  framework_version VARCHAR,
  ladder            VARCHAR,  ladder_version    VARCHAR,
  package_version   VARCHAR,   -- coprod-eval that made the run
  claimed_level     VARCHAR,   -- ladder level the project claims (id)
  evidenced_level   VARCHAR,   -- ladder level the evidence shows (id)
  level_low         VARCHAR,  level_high VARCHAR,   -- its range under the uncertainty
  verdict           VARCHAR,   -- supported / not_established / not_supported
  confidence        VARCHAR,   -- high / medium / low
  truths            INTEGER,   -- inconvenient truths found
  respondents       INTEGER,   -- survey respondents: the sum of the groups' published (rounded)
                               -- counts, within this project only; NULL if any was withheld
  compared_with     VARCHAR,   -- the previous round's run its report compares with (NULL in round 1)
  comparison_withheld VARCHAR, -- why that comparison is not shown ('' when shown, and in round 1)
  report            VARCHAR,   -- the run's report.html, relative to the portfolio
  PRIMARY KEY (project, run_id)
);

-- Each principle (or standard) of each run: the heat map's cells.
CREATE TABLE IF NOT EXISTS principles (
  project VARCHAR, run_id VARCHAR,
  principle      VARCHAR,   -- id in the framework
  name           VARCHAR,
  position       INTEGER,   -- order in the framework (0 first)
  rating         VARCHAR,   -- rating id (framework's ratings, lowest first)
  rating_label   VARCHAR,
  rating_rank    INTEGER,   -- position of the rating in the framework's scale (0 lowest)
  range_low      VARCHAR,  range_high VARCHAR,   -- rating range under the uncertainty
  claimed_rating VARCHAR,   -- what the project's self-assessment claims (NULL if none)
  confidence     VARCHAR,   -- high / medium / low
  borderline     BOOLEAN,   -- the range spans more than one rating
  stable         BOOLEAN,   -- unchanged with any one respondent or record left out (NULL: not
                            -- checked)
  PRIMARY KEY (project, run_id, principle)
);

-- Each indicator behind each principle's rating.
CREATE TABLE IF NOT EXISTS indicators (
  project VARCHAR, run_id VARCHAR, principle VARCHAR,
  indicator VARCHAR, label VARCHAR, stream VARCHAR, measure VARCHAR, grp VARCHAR,
  unit      VARCHAR,
  status    VARCHAR,            -- assessed / not_supplied / figure_withheld / too_few_records /
                                -- rating_withheld
  value     DOUBLE, interval_low DOUBLE, interval_high DOUBLE,
  rating    VARCHAR,
  band_word VARCHAR,            -- the organisation's conduct towards few partners in words
                                -- (none / few / about_half / most / all) where value is NULL
  PRIMARY KEY (project, run_id, principle, indicator)
);

-- Each inconvenient truth of each run.
CREATE TABLE IF NOT EXISTS truths (
  project VARCHAR, run_id VARCHAR,
  rank      INTEGER,   -- its number in the run's report
  kind      VARCHAR,   -- truths.yaml's kind
  principle VARCHAR,   -- NULL when about the whole project
  text      VARCHAR,   -- in words (English), as the run's report words it
  PRIMARY KEY (project, run_id, rank)
);

-- Each side's response to each truth (responses/<run_id>/<side>.yaml).
CREATE TABLE IF NOT EXISTS responses (
  project VARCHAR, run_id VARCHAR,
  truth      INTEGER,   -- truths.rank
  side       VARCHAR,   -- project / partners
  stance     VARCHAR,   -- accepted / disputed / noted
  reason     VARCHAR,   -- the side's own words, as its file gives them
  action     VARCHAR,   -- what will be done (NULL when no action)
  action_due VARCHAR,   -- YYYY-MM-DD
  action_status VARCHAR, -- planned / done / not_done
  PRIMARY KEY (project, run_id, truth, side)
);

-- Each portfolio run, and what happened to each project in it.
CREATE TABLE IF NOT EXISTS portfolio_runs (
  portfolio_run VARCHAR PRIMARY KEY,   -- portfolio-runs/<portfolio_run>/
  started_utc VARCHAR, finished_utc VARCHAR,
  projects INTEGER, evaluated INTEGER, unchanged INTEGER, failed INTEGER,
  workers  INTEGER,
  seconds  DOUBLE
);
CREATE TABLE IF NOT EXISTS outcomes (
  portfolio_run VARCHAR, project VARCHAR,
  outcome VARCHAR,   -- evaluated / unchanged / failed
  run_id  VARCHAR,   -- the run it stands on (NULL when it failed)
  message VARCHAR,
  seconds DOUBLE,
  PRIMARY KEY (portfolio_run, project)
);

-- The latest run of each project, and its principles: what the portfolio shows. A project
-- whose latest evaluation failed is left out (its earlier run is not current).
CREATE OR REPLACE VIEW latest_runs AS
  SELECT r.* FROM runs r LEFT JOIN projects p USING (project)
  WHERE p.last_outcome IS DISTINCT FROM 'failed'
  QUALIFY row_number() OVER (PARTITION BY r.project ORDER BY r.round DESC, r.run_id DESC) = 1;
CREATE OR REPLACE VIEW latest_principles AS
  SELECT p.* FROM principles p JOIN latest_runs r USING (project, run_id);
