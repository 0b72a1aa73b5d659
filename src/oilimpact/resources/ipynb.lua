-- Pandoc filter for executed notebooks (read with --ipynb-output=all) on their way to Typst.
-- export.clean_notebook has already dropped code, stderr, our result MIME and plain-text fallbacks,
-- so each output holds one representation; this filter turns it into real document elements:
-- DataFrame HTML -> pandoc tables (numbers right-aligned), Markdown output -> parsed text with raw
-- HTML shown as text, images sized to the text width, any remaining raw HTML -> visible text.

local function is_numeric(text)
  local s = text:gsub("[%s,]", ""):gsub("^[%$€£]", ""):gsub("%%$", "")
  return s ~= "" and tonumber(s) ~= nil
end

local function cell_text(cell)
  return pandoc.utils.stringify(cell.contents)
end

-- Right-align columns whose body cells are all numbers (a DataFrame's figures).
local function align_numbers(tbl)
  local ncols = #tbl.colspecs
  for col = 1, ncols do
    local seen, numeric = false, true
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        local cell = row.cells[col]
        if cell then
          local text = cell_text(cell)
          if text ~= "" then
            seen = true
            if not is_numeric(text) then numeric = false end
          end
        end
      end
    end
    if seen and numeric then
      tbl.colspecs[col] = { pandoc.AlignRight, tbl.colspecs[col][2] }
    end
  end
  return tbl
end

local function as_text_blocks(text)
  return { pandoc.Para({ pandoc.Str(text) }) }
end

function RawBlock(el)
  if el.format == "html" then
    local doc = pandoc.read(el.text, "html-raw_html-native_divs-native_spans")
    return doc.blocks:walk({ Table = align_numbers })
  elseif el.format == "markdown" then
    return pandoc.read(el.text, "markdown-raw_html-raw_attribute-raw_tex").blocks
  elseif el.format == "typst" then
    return el
  end
  return as_text_blocks(el.text)
end

function RawInline(el)
  if el.format == "typst" then
    return el
  end
  return pandoc.Str(el.text)
end

function Image(el)
  el.attributes.width = el.attributes.width or "100%"
  return el
end

-- Cells and outputs become plain runs of blocks: code cells arrive without source (their empty
-- code blocks go), and no cell wrapper or label reaches the page.
function Div(el)
  if el.classes:includes("cell") or el.classes:includes("output") then
    return el.content:filter(function(block)
      return not (block.t == "CodeBlock" and block.text == "")
    end)
  end
end
