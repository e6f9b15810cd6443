-- wrk script: post a complete intake form. The CSRF cookie and field carry the same unmasked
-- secret, which Django accepts; each request gets a different e-mail so duplicates stay rare.
local token = "benchbenchbenchbenchbenchbench12"
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=" .. token
wrk.headers["Referer"] = "http://127.0.0.1/intake/"

request = function()
  counter = counter + 1
  local body = "csrfmiddlewaretoken=" .. token ..
    "&first_name=Bench&last_name=Mark" .. counter ..
    "&email=bench" .. counter .. "-" .. math.random(1, 1000000000) .. "%40example.org" ..
    "&phone=%2B49371123456&preferred_channel=email&kind_of_arrival=abroad_third" ..
    "&country_of_origin=IN&nationality=IN&gender=female&foreign_background=yes" ..
    "&german_level=B1&english_level=C1&profession=Pflegefachkraft&education_level=isced_5_8" ..
    "&employment_status_on_entry=unemployed&partner=along&child_1_birth_year=2019" ..
    "&need_housing=on&need_housing_text=Wohnung&need_language=on&need_language_text=B2-Kurs" ..
    "&consent_processing=on&consent_partners=on"
  return wrk.format(nil, "/intake/", nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d, errors: %d\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("latency p50 %.1f ms, p95 %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
