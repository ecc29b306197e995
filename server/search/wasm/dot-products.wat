;; Dot products of one query vector with every row of a matrix, four lanes at a time (SIMD).
;; Compiled into dot-products.ts (DOT_PRODUCTS_WASM); test/unit/dot-products.test.ts checks
;; that the bytes there are this file's.
(module
  (memory (export "memory") 1)
  ;; out[i] = query · row i, for `rows` rows of `stride` floats from `matrix` (byte offsets;
  ;; `stride` a multiple of 4, rows padded with zeros).
  (func (export "dots") (param $query i32) (param $matrix i32) (param $rows i32) (param $stride i32) (param $out i32)
    (local $row i32) (local $offset i32) (local $bytes i32) (local $at i32) (local $sum v128)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $at (local.get $matrix))
    (block $all_rows
      (loop $next_row
        (br_if $all_rows (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $sum (v128.const f32x4 0 0 0 0))
        (local.set $offset (i32.const 0))
        (block $row_done
          (loop $next_lanes
            (br_if $row_done (i32.ge_u (local.get $offset) (local.get $bytes)))
            (local.set $sum
              (f32x4.add (local.get $sum)
                (f32x4.mul
                  (v128.load (i32.add (local.get $query) (local.get $offset)))
                  (v128.load (i32.add (local.get $at) (local.get $offset))))))
            (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
            (br $next_lanes)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $row) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
            (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
        (local.set $at (i32.add (local.get $at) (local.get $bytes)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $next_row)))))
