#!/usr/bin/env python3
# bench/lowrate.py PORT N GAP_SECONDS — one keep-alive connection sending the 60 KB Claude Code request N times, GAP_SECONDS
# apart (body from /tmp/body60k.json: copy src/main/resources/demo/claude-code-request.json there). Prints the p50/p90/p99
# of the whole exchange and of the gateway's own time to the response head (x-sluice-latency-ms, when present):
# what a request costs without other requests to queue behind.
import http.client, time, sys, statistics
port=int(sys.argv[1]); n=int(sys.argv[2]); gap=float(sys.argv[3])
body=open('/tmp/body60k.json','rb').read()
h={"x-api-key":"sk-bench-client","anthropic-version":"2023-06-01","content-type":"application/json","x-app":"cli"}
c=http.client.HTTPConnection('127.0.0.1',port); g=[]; tot=[]
for i in range(n):
    t=time.perf_counter(); c.request('POST','/v1/messages',body,h); r=c.getresponse(); r.read(); tot.append((time.perf_counter()-t)*1000)
    v=r.getheader('x-sluice-latency-ms'); 
    if v: g.append(float(v))
    time.sleep(gap)
def q(a,p): a=sorted(a); return a[int(p*(len(a)-1))]
print('total p50 %.3f p90 %.3f p99 %.3f'%(q(tot,.5),q(tot,.9),q(tot,.99)))
if g: print('gateway p50 %.3f p90 %.3f p99 %.3f'%(q(g,.5),q(g,.9),q(g,.99)))
