# Python dict/list workload: ~150-200 MB of dicts, lists, str, int, float, tuples, bytes; then idles.
import random, os, sys, time, json
random.seed(7)
words = open(__file__).read().split()
d = {}
for i in range(600000):
    d[f"key:{i}:{random.choice(words)}"] = (i, random.random(), [random.randint(0, 1000) for _ in range(5)],
                                            {"name": random.choice(words) * 2, "ok": i % 3 == 0})
lst = [random.random() * 1e6 for _ in range(2000000)]
strs = [" ".join(random.choice(words) for _ in range(random.randint(3, 30))) for _ in range(200000)]
blobs = [json.dumps({"id": i, "vals": [random.randint(0, 99) for _ in range(20)]}).encode() for i in range(100000)]
sets = [set(random.randint(0, 10**6) for _ in range(50)) for _ in range(20000)]
print(json.dumps({"pid": os.getpid(), "rss_kb": int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0])}), flush=True)
while True:
    time.sleep(1)
