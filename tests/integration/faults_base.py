"""What the Redis fault tests share (test_faults.py, test_faults_redis_data.py): the
routes a dashboard or a scraper polls and the pages, which must answer whatever Redis
does, and the refresh counter that says how each snapshot was made."""

# Every route a dashboard or a scraper polls; each must answer fast whatever Redis does.
POLLED = ["/metrics", "/dashboard/api/stats-html", "/dashboard/api/recent-uploads-html",
          "/dashboard/api/metrics-html", "/dashboard/api/stats", "/dashboard/api/history"]
PAGES = ["/", "/dashboard/observability", "/dashboard/uploads", "/-/healthy", "/-/ready"]
REFRESHES = "observd_snapshot_refreshes_total"
