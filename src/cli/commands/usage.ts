export const serveUsage = 'reclaim-lab serve [--port N] [--db PATH] [--accel kvm|tcg]'
