//! The global allocator: mimalloc, asked through its plain entry points.
//!
//! Codegen builds, parses and drops hundreds of thousands of small token
//! trees and syntax nodes; with the system allocator, malloc and free were
//! about a third of `cargo xtask codegen`'s time. The `mimalloc` crate's
//! allocator sends every request through `mi_malloc_aligned`, a longer path
//! than `mi_malloc` for the common case: an alignment that `mi_malloc`
//! already gives (at most 16, and at most the size, as for `std`'s system
//! allocator). Only that case takes the short path.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as ffi;

/// The alignment every `mi_malloc` block of at least that size has.
const PLAIN_ALIGN: usize = 16;

pub struct MiMalloc;

/// Whether `mi_malloc` alone gives `layout`'s alignment: at most 16, and
/// a size that is a whole number of alignments (as every Rust type's is),
/// so the block comes from a size class that is a multiple of it.
fn plain(layout: &Layout) -> bool {
    layout.align() <= PLAIN_ALIGN && layout.align() <= layout.size() && layout.size() % layout.align() == 0
}

// SAFETY: every block comes from mimalloc and goes back to it; a block from
// the plain or the aligned entry points may be freed or reallocated by either
// family (mimalloc documents `mi_free` and `mi_realloc` for all of its blocks).
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            unsafe { ffi::mi_malloc(layout.size()).cast() }
        } else {
            unsafe { ffi::mi_malloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            unsafe { ffi::mi_zalloc(layout.size()).cast() }
        } else {
            unsafe { ffi::mi_zalloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { ffi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align(new_size, layout.align());
        if new_layout.is_ok_and(|new_layout| plain(&new_layout)) {
            unsafe { ffi::mi_realloc(ptr.cast::<c_void>(), new_size).cast() }
        } else {
            unsafe { ffi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_bytes_when_grown() {
        for (size, align) in [(1, 1), (8, 8), (24, 8), (24, 16), (64, 16), (32, 64), (4096, 4096)] {
            let layout = Layout::from_size_align(size, align).expect("layout");
            unsafe {
                let ptr = MiMalloc.alloc(layout);
                assert!(!ptr.is_null());
                assert_eq!(ptr as usize % align, 0, "size {size} align {align}");
                ptr.write_bytes(0xab, size);
                let grown = MiMalloc.realloc(ptr, layout, size * 3);
                assert_eq!(grown as usize % align, 0, "grown: size {size} align {align}");
                assert!(std::slice::from_raw_parts(grown, size).iter().all(|&b| b == 0xab));
                MiMalloc.dealloc(grown, Layout::from_size_align(size * 3, align).expect("layout"));
                let zeroed = MiMalloc.alloc_zeroed(layout);
                assert!(std::slice::from_raw_parts(zeroed, size).iter().all(|&b| b == 0));
                MiMalloc.dealloc(zeroed, layout);
            }
        }
    }
}
