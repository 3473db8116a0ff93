// Builds a ~200 MB JS heap: object graph (users/orders), strings, arrays,
// Maps, number arrays, a typed array and JSON strings; then idles so it can be dumped.
const words = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ' +
  'incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ' +
  'ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit ' +
  'voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non ' +
  'proident sunt culpa qui officia deserunt mollit anim id est laborum'
).split(' ')
let seed = 42
function rnd() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed / 0x7fffffff
}
function pick(a) {
  return a[Math.floor(rnd() * a.length)]
}
function sentence(n) {
  let s = []
  for (let i = 0; i < n; i++) s.push(pick(words))
  return s.join(' ')
}
const users = [],
  byName = new Map(),
  orders = []
for (let i = 0; i < 300000; i++) {
  const u = {
    id: i,
    name: pick(words) + '_' + pick(words) + i,
    email: `user${i}@example.${pick(['com', 'org', 'net'])}`,
    age: Math.floor(rnd() * 80),
    score: rnd() * 1000,
    tags: [pick(words), pick(words), pick(words)],
    created: new Date(1600000000000 + Math.floor(rnd() * 1e11)).toISOString(),
    friends: []
  }
  users.push(u)
  byName.set(u.name, u)
}
for (let i = 0; i < users.length; i++)
  for (let k = 0; k < 4; k++) users[i].friends.push(users[Math.floor(rnd() * users.length)])
for (let i = 0; i < 400000; i++) {
  orders.push({
    oid: 'ORD-' + i.toString(36),
    user: users[Math.floor(rnd() * users.length)],
    items: Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => ({
      sku: 'SKU' + Math.floor(rnd() * 100000),
      qty: 1 + Math.floor(rnd() * 5),
      price: Math.round(rnd() * 10000) / 100
    })),
    note: rnd() < 0.3 ? sentence(5 + Math.floor(rnd() * 20)) : null
  })
}
const nums = []
for (let i = 0; i < 2000000; i++) nums.push(rnd() * 1e6)
const ints = new Int32Array(4000000)
for (let i = 0; i < ints.length; i++) ints[i] = Math.floor(rnd() * 1000)
const docs = []
for (let i = 0; i < 2000; i++)
  docs.push(
    JSON.stringify(
      orders
        .slice(i * 50, i * 50 + 20)
        .map((o) => ({ oid: o.oid, uid: o.user.id, items: o.items, note: o.note }))
    )
  )
const mu = process.memoryUsage()
console.log(
  JSON.stringify({ pid: process.pid, rss: mu.rss, heapUsed: mu.heapUsed, external: mu.external })
)
globalThis.keep = { users, byName, orders, nums, ints, docs }
setInterval(() => {
  globalThis.keep.t = Date.now()
}, 1000)
