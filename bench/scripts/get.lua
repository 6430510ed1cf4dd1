-- Plain GETs of the URL given to wrk, with the summary line.
dofile(os.getenv("BENCH_SCRIPTS") .. "/report.lua")
