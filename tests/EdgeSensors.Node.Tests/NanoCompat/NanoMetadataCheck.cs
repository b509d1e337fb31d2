using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace EdgeSensors.Node.Tests.NanoCompat;

/// <summary>
/// Inspects an assembly's metadata for constructs that compile against nanoFramework's mscorlib but do not run on
/// the device (../shared/NANOFRAMEWORK.md): generic type or method definitions, generic instantiations (List&lt;T&gt;,
/// Func&lt;&gt;, Array.Empty&lt;T&gt;…), default interface methods, and pointer or function-pointer types.
/// </summary>
public static class NanoMetadataCheck
{
    /// <summary>Every violation found, one line each (empty when the assembly is fit for the device).</summary>
    public static IReadOnlyList<string> Inspect(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader md = pe.GetMetadataReader();
        var problems = new List<string>();
        var provider = new FlaggingProvider();

        foreach (TypeDefinitionHandle th in md.TypeDefinitions)
        {
            TypeDefinition type = md.GetTypeDefinition(th);
            string typeName = FullName(md, type);
            if (type.GetGenericParameters().Count > 0)
            {
                problems.Add($"generic type definition: {typeName}");
            }

            bool isInterface = (type.Attributes & TypeAttributes.Interface) != 0;
            foreach (MethodDefinitionHandle mh in type.GetMethods())
            {
                MethodDefinition method = md.GetMethodDefinition(mh);
                string methodName = $"{typeName}.{md.GetString(method.Name)}";
                if (method.GetGenericParameters().Count > 0)
                {
                    problems.Add($"generic method definition: {methodName}");
                }

                if (isInterface && (method.Attributes & MethodAttributes.Abstract) == 0 && (method.Attributes & MethodAttributes.Static) == 0)
                {
                    problems.Add($"default interface method: {methodName}");
                }

                Check(problems, provider, $"signature of {methodName}", () => method.DecodeSignature(provider, null));
                if (method.RelativeVirtualAddress != 0)
                {
                    MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                    if (!body.LocalSignature.IsNil)
                    {
                        StandaloneSignature locals = md.GetStandaloneSignature(body.LocalSignature);
                        Check(problems, provider, $"locals of {methodName}", () => locals.DecodeLocalSignature(provider, null));
                    }
                }
            }

            foreach (FieldDefinitionHandle fh in type.GetFields())
            {
                FieldDefinition field = md.GetFieldDefinition(fh);
                Check(problems, provider, $"field {typeName}.{md.GetString(field.Name)}", () => field.DecodeSignature(provider, null));
            }
        }

        for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            TypeSpecification spec = md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row));
            Check(problems, provider, "type specification", () => spec.DecodeSignature(provider, null));
        }

        if (md.GetTableRowCount(TableIndex.MethodSpec) > 0)
        {
            for (int row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
            {
                MethodSpecification spec = md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
                problems.Add($"generic method instantiation: {DescribeMember(md, spec.Method)}");
            }
        }

        foreach (MemberReferenceHandle mrh in md.MemberReferences)
        {
            MemberReference mr = md.GetMemberReference(mrh);
            string name = $"reference to {md.GetString(mr.Name)}";
            if (mr.GetKind() == MemberReferenceKind.Method)
            {
                Check(problems, provider, name, () => mr.DecodeMethodSignature(provider, null));
            }
            else
            {
                Check(problems, provider, name, () => mr.DecodeFieldSignature(provider, null));
            }
        }

        return problems.Distinct().ToList();
    }

    /// <summary>The assembly names an assembly references.</summary>
    public static IReadOnlyList<string> References(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
    }

    private static void Check(List<string> problems, FlaggingProvider provider, string where, Action decode)
    {
        provider.Found.Clear();
        decode();
        foreach (string what in provider.Found)
        {
            problems.Add($"{what} in {where}");
        }
    }

    private static string FullName(MetadataReader md, TypeDefinition type)
    {
        string ns = md.GetString(type.Namespace);
        string name = md.GetString(type.Name);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }

    private static string DescribeMember(MetadataReader md, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.MethodDefinition => md.GetString(md.GetMethodDefinition((MethodDefinitionHandle)handle).Name),
        HandleKind.MemberReference => md.GetString(md.GetMemberReference((MemberReferenceHandle)handle).Name),
        _ => handle.Kind.ToString(),
    };

    /// <summary>Decodes signatures to names and records the device-unfit constructs it meets.</summary>
    private sealed class FlaggingProvider : ISignatureTypeProvider<string, object?>
    {
        public List<string> Found { get; } = [];

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature)
        {
            Found.Add("function pointer type");
            return "fnptr";
        }

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            string name = $"{genericType}<{string.Join(",", typeArguments)}>";
            Found.Add($"generic instantiation {name}");
            return name;
        }

        public string GetGenericMethodParameter(object? genericContext, int index)
        {
            Found.Add("generic method parameter");
            return $"!!{index}";
        }

        public string GetGenericTypeParameter(object? genericContext, int index)
        {
            Found.Add("generic type parameter");
            return $"!{index}";
        }

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetPointerType(string elementType)
        {
            Found.Add($"pointer type {elementType}*");
            return elementType + "*";
        }

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
