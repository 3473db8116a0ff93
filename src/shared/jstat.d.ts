// The parts of jstat (which ships no types) that the compare statistics use.
declare module 'jstat' {
  interface StudentT {
    cdf(x: number, dof: number): number
    inv(p: number, dof: number): number
  }

  interface Normal {
    cdf(x: number, mean: number, sd: number): number
    inv(p: number, mean: number, sd: number): number
  }

  interface JStat {
    studentt: StudentT
    normal: Normal
  }

  const jStat: JStat
  export default jStat
}
