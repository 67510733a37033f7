// Binary fix for TorchSharp-cpu's libLibTorchSharp.so on hosts whose libstdc++ predates GCC 13
// (see ../shared/REFERENCE.md section 2). Compiled into the MSBuild inline task (TorchSharpFix.targets) and, with
// GAZE_TESTS defined, into the test project, so the ELF edit itself is tested.
#nullable enable
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Gaze.Build;

namespace Gaze.Build
{
    /// <summary>Outcome of <see cref="LibTorchSharpFix.Apply"/>.</summary>
    public enum LibTorchSharpFixResult
    {
        /// <summary>The file was edited.</summary>
        Patched,
        /// <summary>The file had been edited before; nothing changed.</summary>
        AlreadyPatched,
        /// <summary>The file does not reference the GCC 13 symbol; nothing to do.</summary>
        NotNeeded,
    }

    /// <summary>
    /// Rewrites the one GCC 13 dependency of libLibTorchSharp.so, <c>std::ios_base_library_init()</c>
    /// (GLIBCXX_3.4.32), into a reference to <c>std::locale::classic()</c> and marks the GLIBCXX_3.4.32
    /// version requirement weak. Older libstdc++ initialise iostreams themselves, so nothing is lost.
    /// </summary>
    public static class LibTorchSharpFix
    {
        private const string MissingSymbol = "_ZSt21ios_base_library_initv";
        private const string ReplacementSymbol = "_ZNSt6locale7classicEv";
        private const string MissingVersion = "GLIBCXX_3.4.32";

        private const uint ShtDynsym = 11;
        private const uint ShtGnuVersym = 0x6fffffff;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>True when the host's libstdc++ lacks GLIBCXX_3.4.32, i.e. when the fix is needed.</summary>
        public static bool HostNeedsFix()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return false;
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            };
            foreach (var path in candidates)
            {
                if (File.Exists(path)) return !Contains(File.ReadAllBytes(path), Encoding.ASCII.GetBytes(MissingVersion + "\0"));
            }
            return false;
        }

        /// <summary>Applies the edit to <paramref name="path"/> (atomically: a temporary file is renamed over it).</summary>
        /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF shared object with the expected tables.</exception>
        public static LibTorchSharpFixResult Apply(string path)
        {
            byte[] elf = File.ReadAllBytes(path);
            LibTorchSharpFixResult result = Patch(elf);
            if (result != LibTorchSharpFixResult.Patched) return result;
            // Write beside and rename: never edit in place, so a hard link into a package cache stays intact.
            string temporary = path + ".gaze-tmp";
            File.WriteAllBytes(temporary, elf);
            File.Replace(temporary, path, null);
            return result;
        }

        /// <summary>Applies the edit to an ELF image in memory.</summary>
        public static LibTorchSharpFixResult Patch(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("not a 64-bit little-endian ELF file");

            ulong sectionTable = U64(elf, 0x28);
            int sectionSize = U16(elf, 0x3a);
            int sectionCount = U16(elf, 0x3c);

            Section? dynsym = null, versym = null, verneed = null;
            for (int i = 0; i < sectionCount; i++)
            {
                var s = new Section(elf, (int)sectionTable + i * sectionSize);
                if (s.Type == ShtDynsym) dynsym = s;
                else if (s.Type == ShtGnuVersym) versym = s;
                else if (s.Type == ShtGnuVerneed) verneed = s;
            }
            if (dynsym == null || versym == null || verneed == null)
                throw new InvalidDataException("missing .dynsym, .gnu.version or .gnu.version_r");
            var dynstr = new Section(elf, (int)sectionTable + (int)dynsym.Link * sectionSize);

            bool symbolRenamed = false, alreadyRenamed = false;
            int symbolCount = (int)(dynsym.Size / 24);
            for (int i = 0; i < symbolCount; i++)
            {
                int entry = (int)dynsym.Offset + i * 24;
                int name = (int)dynstr.Offset + (int)U32(elf, entry);
                if (CStringEquals(elf, name, MissingSymbol))
                {
                    byte[] replacement = Encoding.ASCII.GetBytes(ReplacementSymbol);
                    Array.Clear(elf, name, MissingSymbol.Length);
                    Array.Copy(replacement, 0, elf, name, replacement.Length);
                    W16(elf, (int)versym.Offset + i * 2, 1);
                    symbolRenamed = true;
                }
                else if (CStringEquals(elf, name, ReplacementSymbol) && U16(elf, (int)versym.Offset + i * 2) == 1
                         && elf[name + ReplacementSymbol.Length + 1] == 0)
                {
                    alreadyRenamed = true;
                }
            }

            bool versionWeakened = false, versionFound = false;
            int need = (int)verneed.Offset;
            while (true)
            {
                int auxCount = U16(elf, need + 2);
                int aux = need + (int)U32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int name = (int)dynstr.Offset + (int)U32(elf, aux + 8);
                    if (CStringEquals(elf, name, MissingVersion))
                    {
                        versionFound = true;
                        ushort flags = U16(elf, aux + 4);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            W16(elf, aux + 4, (ushort)(flags | VerFlgWeak));
                            versionWeakened = true;
                        }
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                uint next = U32(elf, need + 12);
                if (next == 0) break;
                need += (int)next;
            }

            if (symbolRenamed || versionWeakened) return LibTorchSharpFixResult.Patched;
            if (alreadyRenamed && versionFound) return LibTorchSharpFixResult.AlreadyPatched;
            return LibTorchSharpFixResult.NotNeeded;
        }

        private sealed class Section
        {
            public Section(byte[] elf, int header)
            {
                Type = U32(elf, header + 4);
                Offset = U64(elf, header + 0x18);
                Size = U64(elf, header + 0x20);
                Link = U32(elf, header + 0x28);
            }
            public uint Type { get; }
            public ulong Offset { get; }
            public ulong Size { get; }
            public uint Link { get; }
        }

        private static bool CStringEquals(byte[] data, int offset, string value)
        {
            if (offset + value.Length >= data.Length) return false;
            for (int i = 0; i < value.Length; i++)
                if (data[offset + i] != (byte)value[i]) return false;
            return data[offset + value.Length] == 0;
        }

        private static bool Contains(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return true;
            }
            return false;
        }

        private static ushort U16(byte[] b, int o) => (ushort)(b[o] | b[o + 1] << 8);
        private static uint U32(byte[] b, int o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
        private static ulong U64(byte[] b, int o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;
        private static void W16(byte[] b, int o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
    }
}

#if !GAZE_TESTS



/// <summary>MSBuild task: applies <see cref="Gaze.Build.LibTorchSharpFix"/> to each file when the host needs it.</summary>
public class FixLibTorchSharp : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = System.Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    public override bool Execute()
    {
        if (!LibTorchSharpFix.HostNeedsFix()) return true;
        foreach (Microsoft.Build.Framework.ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                LibTorchSharpFixResult result = LibTorchSharpFix.Apply(path);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "libLibTorchSharp fix: {0} {1}", result, path);
            }
            catch (System.Exception e)
            {
                Log.LogError("cannot apply the libLibTorchSharp fix to {0}: {1}", path, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
